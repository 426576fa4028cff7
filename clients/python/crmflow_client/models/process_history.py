from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.timeline_entry import TimelineEntry


T = TypeVar("T", bound="ProcessHistory")


@_attrs_define
class ProcessHistory:
    """The readable timeline of the latest run of a process.

    Attributes:
        events (list[TimelineEntry]):
        run_id (str):
        type_ (str):
        workflow_id (str):
    """

    events: list[TimelineEntry]
    run_id: str
    type_: str
    workflow_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        run_id = self.run_id

        type_ = self.type_

        workflow_id = self.workflow_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "events": events,
                "run_id": run_id,
                "type": type_,
                "workflow_id": workflow_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_entry import TimelineEntry  # noqa: PLC0415

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = TimelineEntry.from_dict(events_item_data)

            events.append(events_item)

        run_id = d.pop("run_id")

        type_ = d.pop("type")

        workflow_id = d.pop("workflow_id")

        process_history = cls(
            events=events,
            run_id=run_id,
            type_=type_,
            workflow_id=workflow_id,
        )

        process_history.additional_properties = d
        return process_history

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
