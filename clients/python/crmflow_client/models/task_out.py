from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.task_out_context_type_0 import TaskOutContextType0
    from ..models.task_out_data_type_0 import TaskOutDataType0
    from ..models.task_out_form_type_0 import TaskOutFormType0


T = TypeVar("T", bound="TaskOut")


@_attrs_define
class TaskOut:
    """A task as the inbox shows it.

    Attributes:
        allow_chain_override (bool):
        assignee_id (int | None):
        comment (None | str):
        context (None | TaskOutContextType0):
        created_at (datetime.datetime):
        customer_id (int | None):
        data (None | TaskOutDataType0):
        decided_at (datetime.datetime | None):
        decided_by (int | None):
        decision (None | str):
        delegate_id (int | None):
        due_at (datetime.datetime | None):
        escalation_level (int):
        form (None | TaskOutFormType0):
        id (int):
        kind (str):
        original_assignee_id (int | None):
        process_type (str):
        reminders_sent (int):
        requester_id (int | None):
        status (str):
        task_key (str):
        title (str):
        updated_at (datetime.datetime):
        workflow_id (str):
    """

    allow_chain_override: bool
    assignee_id: int | None
    comment: None | str
    context: None | TaskOutContextType0
    created_at: datetime.datetime
    customer_id: int | None
    data: None | TaskOutDataType0
    decided_at: datetime.datetime | None
    decided_by: int | None
    decision: None | str
    delegate_id: int | None
    due_at: datetime.datetime | None
    escalation_level: int
    form: None | TaskOutFormType0
    id: int
    kind: str
    original_assignee_id: int | None
    process_type: str
    reminders_sent: int
    requester_id: int | None
    status: str
    task_key: str
    title: str
    updated_at: datetime.datetime
    workflow_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_out_context_type_0 import TaskOutContextType0  # noqa: PLC0415
        from ..models.task_out_data_type_0 import TaskOutDataType0  # noqa: PLC0415
        from ..models.task_out_form_type_0 import TaskOutFormType0  # noqa: PLC0415

        allow_chain_override = self.allow_chain_override

        assignee_id: int | None
        assignee_id = self.assignee_id

        comment: None | str
        comment = self.comment

        context: dict[str, Any] | None
        if isinstance(self.context, TaskOutContextType0):
            context = self.context.to_dict()
        else:
            context = self.context

        created_at = self.created_at.isoformat()

        customer_id: int | None
        customer_id = self.customer_id

        data: dict[str, Any] | None
        if isinstance(self.data, TaskOutDataType0):
            data = self.data.to_dict()
        else:
            data = self.data

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decided_by: int | None
        decided_by = self.decided_by

        decision: None | str
        decision = self.decision

        delegate_id: int | None
        delegate_id = self.delegate_id

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        escalation_level = self.escalation_level

        form: dict[str, Any] | None
        if isinstance(self.form, TaskOutFormType0):
            form = self.form.to_dict()
        else:
            form = self.form

        id = self.id

        kind = self.kind

        original_assignee_id: int | None
        original_assignee_id = self.original_assignee_id

        process_type = self.process_type

        reminders_sent = self.reminders_sent

        requester_id: int | None
        requester_id = self.requester_id

        status = self.status

        task_key = self.task_key

        title = self.title

        updated_at = self.updated_at.isoformat()

        workflow_id = self.workflow_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allow_chain_override": allow_chain_override,
                "assignee_id": assignee_id,
                "comment": comment,
                "context": context,
                "created_at": created_at,
                "customer_id": customer_id,
                "data": data,
                "decided_at": decided_at,
                "decided_by": decided_by,
                "decision": decision,
                "delegate_id": delegate_id,
                "due_at": due_at,
                "escalation_level": escalation_level,
                "form": form,
                "id": id,
                "kind": kind,
                "original_assignee_id": original_assignee_id,
                "process_type": process_type,
                "reminders_sent": reminders_sent,
                "requester_id": requester_id,
                "status": status,
                "task_key": task_key,
                "title": title,
                "updated_at": updated_at,
                "workflow_id": workflow_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_out_context_type_0 import TaskOutContextType0  # noqa: PLC0415
        from ..models.task_out_data_type_0 import TaskOutDataType0  # noqa: PLC0415
        from ..models.task_out_form_type_0 import TaskOutFormType0  # noqa: PLC0415

        d = dict(src_dict)
        allow_chain_override = d.pop("allow_chain_override")

        def _parse_assignee_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id"))

        def _parse_comment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        comment = _parse_comment(d.pop("comment"))

        def _parse_context(data: object) -> None | TaskOutContextType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                context_type_0 = TaskOutContextType0.from_dict(data)

                return context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskOutContextType0, data)

        context = _parse_context(d.pop("context"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_customer_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        def _parse_data(data: object) -> None | TaskOutDataType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = TaskOutDataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskOutDataType0, data)

        data = _parse_data(d.pop("data"))

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

        def _parse_decided_by(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        decided_by = _parse_decided_by(d.pop("decided_by"))

        def _parse_decision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decision = _parse_decision(d.pop("decision"))

        def _parse_delegate_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        delegate_id = _parse_delegate_id(d.pop("delegate_id"))

        def _parse_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_at = _parse_due_at(d.pop("due_at"))

        escalation_level = d.pop("escalation_level")

        def _parse_form(data: object) -> None | TaskOutFormType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                form_type_0 = TaskOutFormType0.from_dict(data)

                return form_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskOutFormType0, data)

        form = _parse_form(d.pop("form"))

        id = d.pop("id")

        kind = d.pop("kind")

        def _parse_original_assignee_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        original_assignee_id = _parse_original_assignee_id(d.pop("original_assignee_id"))

        process_type = d.pop("process_type")

        reminders_sent = d.pop("reminders_sent")

        def _parse_requester_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        requester_id = _parse_requester_id(d.pop("requester_id"))

        status = d.pop("status")

        task_key = d.pop("task_key")

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        workflow_id = d.pop("workflow_id")

        task_out = cls(
            allow_chain_override=allow_chain_override,
            assignee_id=assignee_id,
            comment=comment,
            context=context,
            created_at=created_at,
            customer_id=customer_id,
            data=data,
            decided_at=decided_at,
            decided_by=decided_by,
            decision=decision,
            delegate_id=delegate_id,
            due_at=due_at,
            escalation_level=escalation_level,
            form=form,
            id=id,
            kind=kind,
            original_assignee_id=original_assignee_id,
            process_type=process_type,
            reminders_sent=reminders_sent,
            requester_id=requester_id,
            status=status,
            task_key=task_key,
            title=title,
            updated_at=updated_at,
            workflow_id=workflow_id,
        )

        task_out.additional_properties = d
        return task_out

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
