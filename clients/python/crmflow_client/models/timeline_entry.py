from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.timeline_entry_details import TimelineEntryDetails


T = TypeVar("T", bound="TimelineEntry")


@_attrs_define
class TimelineEntry:
    """One line of the timeline.

    Attributes:
        event_id (int):
        kind (str):
        time (datetime.datetime | None):
        what (str):
        actor (None | str | Unset):
        details (TimelineEntryDetails | Unset):
    """

    event_id: int
    kind: str
    time: datetime.datetime | None
    what: str
    actor: None | str | Unset = UNSET
    details: TimelineEntryDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        kind = self.kind

        time: None | str
        if isinstance(self.time, datetime.datetime):
            time = self.time.isoformat()
        else:
            time = self.time

        what = self.what

        actor: None | str | Unset
        if isinstance(self.actor, Unset):
            actor = UNSET
        else:
            actor = self.actor

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "kind": kind,
                "time": time,
                "what": what,
            }
        )
        if actor is not UNSET:
            field_dict["actor"] = actor
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_entry_details import TimelineEntryDetails  # noqa: PLC0415

        d = dict(src_dict)
        event_id = d.pop("event_id")

        kind = d.pop("kind")

        def _parse_time(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                time_type_0 = datetime.datetime.fromisoformat(data)

                return time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        time = _parse_time(d.pop("time"))

        what = d.pop("what")

        def _parse_actor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        actor = _parse_actor(d.pop("actor", UNSET))

        _details = d.pop("details", UNSET)
        details: TimelineEntryDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = TimelineEntryDetails.from_dict(_details)

        timeline_entry = cls(
            event_id=event_id,
            kind=kind,
            time=time,
            what=what,
            actor=actor,
            details=details,
        )

        timeline_entry.additional_properties = d
        return timeline_entry

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
