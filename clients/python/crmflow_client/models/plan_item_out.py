from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlanItemOut")


@_attrs_define
class PlanItemOut:
    """One improvement-plan item and how it went (open until its due date; then met or missed, with the figure).

    Attributes:
        baseline (float):
        due_on (datetime.date):
        id (int):
        measured_at (datetime.datetime | None):
        measured_value (float | None):
        metric (str):
        position (int):
        reminded_at (datetime.datetime | None):
        review_id (int):
        status (str):
        target (float):
    """

    baseline: float
    due_on: datetime.date
    id: int
    measured_at: datetime.datetime | None
    measured_value: float | None
    metric: str
    position: int
    reminded_at: datetime.datetime | None
    review_id: int
    status: str
    target: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        baseline = self.baseline

        due_on = self.due_on.isoformat()

        id = self.id

        measured_at: None | str
        if isinstance(self.measured_at, datetime.datetime):
            measured_at = self.measured_at.isoformat()
        else:
            measured_at = self.measured_at

        measured_value: float | None
        measured_value = self.measured_value

        metric = self.metric

        position = self.position

        reminded_at: None | str
        if isinstance(self.reminded_at, datetime.datetime):
            reminded_at = self.reminded_at.isoformat()
        else:
            reminded_at = self.reminded_at

        review_id = self.review_id

        status = self.status

        target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "baseline": baseline,
                "due_on": due_on,
                "id": id,
                "measured_at": measured_at,
                "measured_value": measured_value,
                "metric": metric,
                "position": position,
                "reminded_at": reminded_at,
                "review_id": review_id,
                "status": status,
                "target": target,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        baseline = d.pop("baseline")

        due_on = datetime.date.fromisoformat(d.pop("due_on"))

        id = d.pop("id")

        def _parse_measured_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                measured_at_type_0 = datetime.datetime.fromisoformat(data)

                return measured_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        measured_at = _parse_measured_at(d.pop("measured_at"))

        def _parse_measured_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        measured_value = _parse_measured_value(d.pop("measured_value"))

        metric = d.pop("metric")

        position = d.pop("position")

        def _parse_reminded_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reminded_at_type_0 = datetime.datetime.fromisoformat(data)

                return reminded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        reminded_at = _parse_reminded_at(d.pop("reminded_at"))

        review_id = d.pop("review_id")

        status = d.pop("status")

        target = d.pop("target")

        plan_item_out = cls(
            baseline=baseline,
            due_on=due_on,
            id=id,
            measured_at=measured_at,
            measured_value=measured_value,
            metric=metric,
            position=position,
            reminded_at=reminded_at,
            review_id=review_id,
            status=status,
            target=target,
        )

        plan_item_out.additional_properties = d
        return plan_item_out

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
