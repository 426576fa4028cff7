from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.approval_detail_fields import ApprovalDetailFields
    from ..models.approval_detail_steps_item import ApprovalDetailStepsItem
    from ..models.task_out import TaskOut


T = TypeVar("T", bound="ApprovalDetail")


@_attrs_define
class ApprovalDetail:
    """One request: its steps (approvers, votes, who decided), every task with its decision, and the round.

    Attributes:
        created_at (datetime.datetime):
        current_step (None | str):
        customer_id (int | None):
        decided_at (datetime.datetime | None):
        fields (ApprovalDetailFields):
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
        round_ (int | Unset):  Default: 1.
        steps (list[ApprovalDetailStepsItem] | Unset):
        tasks (list[TaskOut] | Unset):
    """

    created_at: datetime.datetime
    current_step: None | str
    customer_id: int | None
    decided_at: datetime.datetime | None
    fields: ApprovalDetailFields
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
    round_: int | Unset = 1
    steps: list[ApprovalDetailStepsItem] | Unset = UNSET
    tasks: list[TaskOut] | Unset = UNSET
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

        round_ = self.round_

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        tasks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tasks, Unset):
            tasks = []
            for tasks_item_data in self.tasks:
                tasks_item = tasks_item_data.to_dict()
                tasks.append(tasks_item)

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
        if round_ is not UNSET:
            field_dict["round"] = round_
        if steps is not UNSET:
            field_dict["steps"] = steps
        if tasks is not UNSET:
            field_dict["tasks"] = tasks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_detail_fields import ApprovalDetailFields  # noqa: PLC0415
        from ..models.approval_detail_steps_item import ApprovalDetailStepsItem  # noqa: PLC0415
        from ..models.task_out import TaskOut  # noqa: PLC0415

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

        fields = ApprovalDetailFields.from_dict(d.pop("fields"))

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

        round_ = d.pop("round", UNSET)

        _steps = d.pop("steps", UNSET)
        steps: list[ApprovalDetailStepsItem] | Unset = UNSET
        if _steps is not UNSET:
            steps = []
            for steps_item_data in _steps:
                steps_item = ApprovalDetailStepsItem.from_dict(steps_item_data)

                steps.append(steps_item)

        _tasks = d.pop("tasks", UNSET)
        tasks: list[TaskOut] | Unset = UNSET
        if _tasks is not UNSET:
            tasks = []
            for tasks_item_data in _tasks:
                tasks_item = TaskOut.from_dict(tasks_item_data)

                tasks.append(tasks_item)

        approval_detail = cls(
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
            round_=round_,
            steps=steps,
            tasks=tasks,
        )

        approval_detail.additional_properties = d
        return approval_detail

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
