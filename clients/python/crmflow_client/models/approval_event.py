from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.approval_event_details_type_0 import ApprovalEventDetailsType0


T = TypeVar("T", bound="ApprovalEvent")


@_attrs_define
class ApprovalEvent:
    """One audited event of a request (submitted, step started, decision, comment, timeout, outcome).

    Attributes:
        action (str):
        actor (str):
        at (datetime.datetime):
        details (ApprovalEventDetailsType0 | None):
        reason (None | str):
    """

    action: str
    actor: str
    at: datetime.datetime
    details: ApprovalEventDetailsType0 | None
    reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.approval_event_details_type_0 import ApprovalEventDetailsType0  # noqa: PLC0415

        action = self.action

        actor = self.actor

        at = self.at.isoformat()

        details: dict[str, Any] | None
        if isinstance(self.details, ApprovalEventDetailsType0):
            details = self.details.to_dict()
        else:
            details = self.details

        reason: None | str
        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "at": at,
                "details": details,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_event_details_type_0 import ApprovalEventDetailsType0  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_details(data: object) -> ApprovalEventDetailsType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = ApprovalEventDetailsType0.from_dict(data)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApprovalEventDetailsType0 | None, data)

        details = _parse_details(d.pop("details"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        approval_event = cls(
            action=action,
            actor=actor,
            at=at,
            details=details,
            reason=reason,
        )

        approval_event.additional_properties = d
        return approval_event

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
