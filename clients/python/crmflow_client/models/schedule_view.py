from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.schedule_run import ScheduleRun


T = TypeVar("T", bound="ScheduleView")


@_attrs_define
class ScheduleView:
    """A schedule as the API and CLI show it.

    Attributes:
        actions_taken (int):
        catchup_window_seconds (float | None):
        cron (list[str]):
        id (str):
        next_runs (list[datetime.datetime]):
        note (None | str):
        overlap (str):
        paused (bool):
        process (str):
        recent_runs (list[ScheduleRun]):
        running (list[str]):
        timezone (None | str):
        workflow_type (str):
    """

    actions_taken: int
    catchup_window_seconds: float | None
    cron: list[str]
    id: str
    next_runs: list[datetime.datetime]
    note: None | str
    overlap: str
    paused: bool
    process: str
    recent_runs: list[ScheduleRun]
    running: list[str]
    timezone: None | str
    workflow_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actions_taken = self.actions_taken

        catchup_window_seconds: float | None
        catchup_window_seconds = self.catchup_window_seconds

        cron = self.cron

        id = self.id

        next_runs = []
        for next_runs_item_data in self.next_runs:
            next_runs_item = next_runs_item_data.isoformat()
            next_runs.append(next_runs_item)

        note: None | str
        note = self.note

        overlap = self.overlap

        paused = self.paused

        process = self.process

        recent_runs = []
        for recent_runs_item_data in self.recent_runs:
            recent_runs_item = recent_runs_item_data.to_dict()
            recent_runs.append(recent_runs_item)

        running = self.running

        timezone: None | str
        timezone = self.timezone

        workflow_type = self.workflow_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actions_taken": actions_taken,
                "catchup_window_seconds": catchup_window_seconds,
                "cron": cron,
                "id": id,
                "next_runs": next_runs,
                "note": note,
                "overlap": overlap,
                "paused": paused,
                "process": process,
                "recent_runs": recent_runs,
                "running": running,
                "timezone": timezone,
                "workflow_type": workflow_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_run import ScheduleRun  # noqa: PLC0415

        d = dict(src_dict)
        actions_taken = d.pop("actions_taken")

        def _parse_catchup_window_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        catchup_window_seconds = _parse_catchup_window_seconds(d.pop("catchup_window_seconds"))

        cron = cast(list[str], d.pop("cron"))

        id = d.pop("id")

        next_runs = []
        _next_runs = d.pop("next_runs")
        for next_runs_item_data in _next_runs:
            next_runs_item = datetime.datetime.fromisoformat(next_runs_item_data)

            next_runs.append(next_runs_item)

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        overlap = d.pop("overlap")

        paused = d.pop("paused")

        process = d.pop("process")

        recent_runs = []
        _recent_runs = d.pop("recent_runs")
        for recent_runs_item_data in _recent_runs:
            recent_runs_item = ScheduleRun.from_dict(recent_runs_item_data)

            recent_runs.append(recent_runs_item)

        running = cast(list[str], d.pop("running"))

        def _parse_timezone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        timezone = _parse_timezone(d.pop("timezone"))

        workflow_type = d.pop("workflow_type")

        schedule_view = cls(
            actions_taken=actions_taken,
            catchup_window_seconds=catchup_window_seconds,
            cron=cron,
            id=id,
            next_runs=next_runs,
            note=note,
            overlap=overlap,
            paused=paused,
            process=process,
            recent_runs=recent_runs,
            running=running,
            timezone=timezone,
            workflow_type=workflow_type,
        )

        schedule_view.additional_properties = d
        return schedule_view

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
