from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ProgressOut")


@_attrs_define
class ProgressOut:
    """
    Attributes:
        actual (float | None):
        attainment (float | None):
        day (datetime.date):
        elapsed_share (float):
        expected (float):
        metric (str):
        pace (float | None):
        target (float):
    """

    actual: float | None
    attainment: float | None
    day: datetime.date
    elapsed_share: float
    expected: float
    metric: str
    pace: float | None
    target: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actual: float | None
        actual = self.actual

        attainment: float | None
        attainment = self.attainment

        day = self.day.isoformat()

        elapsed_share = self.elapsed_share

        expected = self.expected

        metric = self.metric

        pace: float | None
        pace = self.pace

        target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actual": actual,
                "attainment": attainment,
                "day": day,
                "elapsed_share": elapsed_share,
                "expected": expected,
                "metric": metric,
                "pace": pace,
                "target": target,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_actual(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        actual = _parse_actual(d.pop("actual"))

        def _parse_attainment(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        attainment = _parse_attainment(d.pop("attainment"))

        day = datetime.date.fromisoformat(d.pop("day"))

        elapsed_share = d.pop("elapsed_share")

        expected = d.pop("expected")

        metric = d.pop("metric")

        def _parse_pace(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        pace = _parse_pace(d.pop("pace"))

        target = d.pop("target")

        progress_out = cls(
            actual=actual,
            attainment=attainment,
            day=day,
            elapsed_share=elapsed_share,
            expected=expected,
            metric=metric,
            pace=pace,
            target=target,
        )

        progress_out.additional_properties = d
        return progress_out

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
