from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.review_cycle_out_summary_type_0 import ReviewCycleOutSummaryType0


T = TypeVar("T", bound="ReviewCycleOut")


@_attrs_define
class ReviewCycleOut:
    """
    Attributes:
        completed_at (datetime.datetime | None):
        created_at (datetime.datetime):
        definition_version (None | str):
        id (int):
        manager_count (int):
        period (str):
        period_end (datetime.datetime):
        period_start (datetime.datetime):
        started_by (str):
        status (str):
        summary (None | ReviewCycleOutSummaryType0):
        workflow_id (str):
    """

    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    definition_version: None | str
    id: int
    manager_count: int
    period: str
    period_end: datetime.datetime
    period_start: datetime.datetime
    started_by: str
    status: str
    summary: None | ReviewCycleOutSummaryType0
    workflow_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.review_cycle_out_summary_type_0 import ReviewCycleOutSummaryType0  # noqa: PLC0415

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        created_at = self.created_at.isoformat()

        definition_version: None | str
        definition_version = self.definition_version

        id = self.id

        manager_count = self.manager_count

        period = self.period

        period_end = self.period_end.isoformat()

        period_start = self.period_start.isoformat()

        started_by = self.started_by

        status = self.status

        summary: dict[str, Any] | None
        if isinstance(self.summary, ReviewCycleOutSummaryType0):
            summary = self.summary.to_dict()
        else:
            summary = self.summary

        workflow_id = self.workflow_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "completed_at": completed_at,
                "created_at": created_at,
                "definition_version": definition_version,
                "id": id,
                "manager_count": manager_count,
                "period": period,
                "period_end": period_end,
                "period_start": period_start,
                "started_by": started_by,
                "status": status,
                "summary": summary,
                "workflow_id": workflow_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.review_cycle_out_summary_type_0 import ReviewCycleOutSummaryType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_definition_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        definition_version = _parse_definition_version(d.pop("definition_version"))

        id = d.pop("id")

        manager_count = d.pop("manager_count")

        period = d.pop("period")

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        started_by = d.pop("started_by")

        status = d.pop("status")

        def _parse_summary(data: object) -> None | ReviewCycleOutSummaryType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                summary_type_0 = ReviewCycleOutSummaryType0.from_dict(data)

                return summary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReviewCycleOutSummaryType0, data)

        summary = _parse_summary(d.pop("summary"))

        workflow_id = d.pop("workflow_id")

        review_cycle_out = cls(
            completed_at=completed_at,
            created_at=created_at,
            definition_version=definition_version,
            id=id,
            manager_count=manager_count,
            period=period,
            period_end=period_end,
            period_start=period_start,
            started_by=started_by,
            status=status,
            summary=summary,
            workflow_id=workflow_id,
        )

        review_cycle_out.additional_properties = d
        return review_cycle_out

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
