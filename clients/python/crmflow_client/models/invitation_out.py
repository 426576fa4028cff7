from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.invitation_out_answers_type_0 import InvitationOutAnswersType0


T = TypeVar("T", bound="InvitationOut")


@_attrs_define
class InvitationOut:
    """
    Attributes:
        customer_id (int):
        id (int):
        language (str):
        process_id (str):
        reminders_sent (int):
        status (str):
        trigger (str):
        wave_id (str):
        answered_at (Any | Unset):
        answers (InvitationOutAnswersType0 | None | Unset):
        csat (int | None | Unset):
        expires_at (Any | Unset):
        invited_at (Any | Unset):
        nps (int | None | Unset):
        recovery_actions (None | str | Unset):
        recovery_closed_at (Any | Unset):
        recovery_status (None | str | Unset):
    """

    customer_id: int
    id: int
    language: str
    process_id: str
    reminders_sent: int
    status: str
    trigger: str
    wave_id: str
    answered_at: Any | Unset = UNSET
    answers: InvitationOutAnswersType0 | None | Unset = UNSET
    csat: int | None | Unset = UNSET
    expires_at: Any | Unset = UNSET
    invited_at: Any | Unset = UNSET
    nps: int | None | Unset = UNSET
    recovery_actions: None | str | Unset = UNSET
    recovery_closed_at: Any | Unset = UNSET
    recovery_status: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.invitation_out_answers_type_0 import InvitationOutAnswersType0  # noqa: PLC0415

        customer_id = self.customer_id

        id = self.id

        language = self.language

        process_id = self.process_id

        reminders_sent = self.reminders_sent

        status = self.status

        trigger = self.trigger

        wave_id = self.wave_id

        answered_at = self.answered_at

        answers: dict[str, Any] | None | Unset
        if isinstance(self.answers, Unset):
            answers = UNSET
        elif isinstance(self.answers, InvitationOutAnswersType0):
            answers = self.answers.to_dict()
        else:
            answers = self.answers

        csat: int | None | Unset
        if isinstance(self.csat, Unset):
            csat = UNSET
        else:
            csat = self.csat

        expires_at = self.expires_at

        invited_at = self.invited_at

        nps: int | None | Unset
        if isinstance(self.nps, Unset):
            nps = UNSET
        else:
            nps = self.nps

        recovery_actions: None | str | Unset
        if isinstance(self.recovery_actions, Unset):
            recovery_actions = UNSET
        else:
            recovery_actions = self.recovery_actions

        recovery_closed_at = self.recovery_closed_at

        recovery_status: None | str | Unset
        if isinstance(self.recovery_status, Unset):
            recovery_status = UNSET
        else:
            recovery_status = self.recovery_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "id": id,
                "language": language,
                "process_id": process_id,
                "reminders_sent": reminders_sent,
                "status": status,
                "trigger": trigger,
                "wave_id": wave_id,
            }
        )
        if answered_at is not UNSET:
            field_dict["answered_at"] = answered_at
        if answers is not UNSET:
            field_dict["answers"] = answers
        if csat is not UNSET:
            field_dict["csat"] = csat
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if invited_at is not UNSET:
            field_dict["invited_at"] = invited_at
        if nps is not UNSET:
            field_dict["nps"] = nps
        if recovery_actions is not UNSET:
            field_dict["recovery_actions"] = recovery_actions
        if recovery_closed_at is not UNSET:
            field_dict["recovery_closed_at"] = recovery_closed_at
        if recovery_status is not UNSET:
            field_dict["recovery_status"] = recovery_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invitation_out_answers_type_0 import InvitationOutAnswersType0  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        id = d.pop("id")

        language = d.pop("language")

        process_id = d.pop("process_id")

        reminders_sent = d.pop("reminders_sent")

        status = d.pop("status")

        trigger = d.pop("trigger")

        wave_id = d.pop("wave_id")

        answered_at = d.pop("answered_at", UNSET)

        def _parse_answers(data: object) -> InvitationOutAnswersType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                answers_type_0 = InvitationOutAnswersType0.from_dict(data)

                return answers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvitationOutAnswersType0 | None | Unset, data)

        answers = _parse_answers(d.pop("answers", UNSET))

        def _parse_csat(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        csat = _parse_csat(d.pop("csat", UNSET))

        expires_at = d.pop("expires_at", UNSET)

        invited_at = d.pop("invited_at", UNSET)

        def _parse_nps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        nps = _parse_nps(d.pop("nps", UNSET))

        def _parse_recovery_actions(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recovery_actions = _parse_recovery_actions(d.pop("recovery_actions", UNSET))

        recovery_closed_at = d.pop("recovery_closed_at", UNSET)

        def _parse_recovery_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recovery_status = _parse_recovery_status(d.pop("recovery_status", UNSET))

        invitation_out = cls(
            customer_id=customer_id,
            id=id,
            language=language,
            process_id=process_id,
            reminders_sent=reminders_sent,
            status=status,
            trigger=trigger,
            wave_id=wave_id,
            answered_at=answered_at,
            answers=answers,
            csat=csat,
            expires_at=expires_at,
            invited_at=invited_at,
            nps=nps,
            recovery_actions=recovery_actions,
            recovery_closed_at=recovery_closed_at,
            recovery_status=recovery_status,
        )

        invitation_out.additional_properties = d
        return invitation_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
