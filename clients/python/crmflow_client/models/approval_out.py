from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.approval_out_fields import ApprovalOutFields


T = TypeVar("T", bound="ApprovalOut")


@_attrs_define
class ApprovalOut:
    """A request as lists show it.

    Attributes:
        created_at (datetime.datetime):
        current_step (None | str):
        customer_id (int | None):
        decided_at (datetime.datetime | None):
        fields (ApprovalOutFields):
        flow (str):
        flow_hash (str):
        flow_version (int):
        id (str):
        outcome_reason (None | str):
        requester_id (int | None):
        requester_label (str):
        status (str):
        subject_id (None | str):
        subject_type (str):
        title (str):
        workflow_id (str):
    """

    created_at: datetime.datetime
    current_step: None | str
    customer_id: int | None
    decided_at: datetime.datetime | None
    fields: ApprovalOutFields
    flow: str
    flow_hash: str
    flow_version: int
    id: str
    outcome_reason: None | str
    requester_id: int | None
    requester_label: str
    status: str
    subject_id: None | str
    subject_type: str
    title: str
    workflow_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        current_step: None | str
        current_step = self.current_step

        customer_id: int | None
        customer_id = self.customer_id

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        fields = self.fields.to_dict()

        flow = self.flow

        flow_hash = self.flow_hash

        flow_version = self.flow_version

        id = self.id

        outcome_reason: None | str
        outcome_reason = self.outcome_reason

        requester_id: int | None
        requester_id = self.requester_id

        requester_label = self.requester_label

        status = self.status

        subject_id: None | str
        subject_id = self.subject_id

        subject_type = self.subject_type

        title = self.title

        workflow_id = self.workflow_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "current_step": current_step,
                "customer_id": customer_id,
                "decided_at": decided_at,
                "fields": fields,
                "flow": flow,
                "flow_hash": flow_hash,
                "flow_version": flow_version,
                "id": id,
                "outcome_reason": outcome_reason,
                "requester_id": requester_id,
                "requester_label": requester_label,
                "status": status,
                "subject_id": subject_id,
                "subject_type": subject_type,
                "title": title,
                "workflow_id": workflow_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_out_fields import ApprovalOutFields  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_current_step(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        current_step = _parse_current_step(d.pop("current_step"))

        def _parse_customer_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        fields = ApprovalOutFields.from_dict(d.pop("fields"))

        flow = d.pop("flow")

        flow_hash = d.pop("flow_hash")

        flow_version = d.pop("flow_version")

        id = d.pop("id")

        def _parse_outcome_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outcome_reason = _parse_outcome_reason(d.pop("outcome_reason"))

        def _parse_requester_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        requester_id = _parse_requester_id(d.pop("requester_id"))

        requester_label = d.pop("requester_label")

        status = d.pop("status")

        def _parse_subject_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject_id = _parse_subject_id(d.pop("subject_id"))

        subject_type = d.pop("subject_type")

        title = d.pop("title")

        workflow_id = d.pop("workflow_id")

        approval_out = cls(
            created_at=created_at,
            current_step=current_step,
            customer_id=customer_id,
            decided_at=decided_at,
            fields=fields,
            flow=flow,
            flow_hash=flow_hash,
            flow_version=flow_version,
            id=id,
            outcome_reason=outcome_reason,
            requester_id=requester_id,
            requester_label=requester_label,
            status=status,
            subject_id=subject_id,
            subject_type=subject_type,
            title=title,
            workflow_id=workflow_id,
        )

        approval_out.additional_properties = d
        return approval_out

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
