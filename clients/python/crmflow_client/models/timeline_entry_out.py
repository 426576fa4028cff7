from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.timeline_entry_out_details_type_0 import TimelineEntryOutDetailsType0


T = TypeVar("T", bound="TimelineEntryOut")


@_attrs_define
class TimelineEntryOut:
    """One event: when, what kind, what happened, who did it and why, with links to its process.

    Attributes:
        action (str):
        at (datetime.datetime):
        complaint_id (None | str):
        details (None | TimelineEntryOutDetailsType0):
        kind (str):
        process_id (None | str):
        source (str):
        task_id (int | None):
        what (str):
        who (None | str):
        who_staff_id (int | None):
        why (None | str):
    """

    action: str
    at: datetime.datetime
    complaint_id: None | str
    details: None | TimelineEntryOutDetailsType0
    kind: str
    process_id: None | str
    source: str
    task_id: int | None
    what: str
    who: None | str
    who_staff_id: int | None
    why: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.timeline_entry_out_details_type_0 import TimelineEntryOutDetailsType0  # noqa: PLC0415

        action = self.action

        at = self.at.isoformat()

        complaint_id: None | str
        complaint_id = self.complaint_id

        details: dict[str, Any] | None
        if isinstance(self.details, TimelineEntryOutDetailsType0):
            details = self.details.to_dict()
        else:
            details = self.details

        kind = self.kind

        process_id: None | str
        process_id = self.process_id

        source = self.source

        task_id: int | None
        task_id = self.task_id

        what = self.what

        who: None | str
        who = self.who

        who_staff_id: int | None
        who_staff_id = self.who_staff_id

        why: None | str
        why = self.why

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "at": at,
                "complaint_id": complaint_id,
                "details": details,
                "kind": kind,
                "process_id": process_id,
                "source": source,
                "task_id": task_id,
                "what": what,
                "who": who,
                "who_staff_id": who_staff_id,
                "why": why,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_entry_out_details_type_0 import TimelineEntryOutDetailsType0  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_complaint_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        complaint_id = _parse_complaint_id(d.pop("complaint_id"))

        def _parse_details(data: object) -> None | TimelineEntryOutDetailsType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = TimelineEntryOutDetailsType0.from_dict(data)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TimelineEntryOutDetailsType0, data)

        details = _parse_details(d.pop("details"))

        kind = d.pop("kind")

        def _parse_process_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        process_id = _parse_process_id(d.pop("process_id"))

        source = d.pop("source")

        def _parse_task_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        task_id = _parse_task_id(d.pop("task_id"))

        what = d.pop("what")

        def _parse_who(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        who = _parse_who(d.pop("who"))

        def _parse_who_staff_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        who_staff_id = _parse_who_staff_id(d.pop("who_staff_id"))

        def _parse_why(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        why = _parse_why(d.pop("why"))

        timeline_entry_out = cls(
            action=action,
            at=at,
            complaint_id=complaint_id,
            details=details,
            kind=kind,
            process_id=process_id,
            source=source,
            task_id=task_id,
            what=what,
            who=who,
            who_staff_id=who_staff_id,
            why=why,
        )

        timeline_entry_out.additional_properties = d
        return timeline_entry_out

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
