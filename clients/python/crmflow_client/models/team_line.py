from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TeamLine")


@_attrs_define
class TeamLine:
    """
    Attributes:
        actual (float | int | None):
        attainment (float | None):
        direction (str):
        label (str):
        metric (str):
        target (float | None):
        unit (str):
    """

    actual: float | int | None
    attainment: float | None
    direction: str
    label: str
    metric: str
    target: float | None
    unit: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actual: float | int | None
        actual = self.actual

        attainment: float | None
        attainment = self.attainment

        direction = self.direction

        label = self.label

        metric = self.metric

        target: float | None
        target = self.target

        unit = self.unit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actual": actual,
                "attainment": attainment,
                "direction": direction,
                "label": label,
                "metric": metric,
                "target": target,
                "unit": unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_actual(data: object) -> float | int | None:
            if data is None:
                return data
            return cast(float | int | None, data)

        actual = _parse_actual(d.pop("actual"))

        def _parse_attainment(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        attainment = _parse_attainment(d.pop("attainment"))

        direction = d.pop("direction")

        label = d.pop("label")

        metric = d.pop("metric")

        def _parse_target(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        target = _parse_target(d.pop("target"))

        unit = d.pop("unit")

        team_line = cls(
            actual=actual,
            attainment=attainment,
            direction=direction,
            label=label,
            metric=metric,
            target=target,
            unit=unit,
        )

        team_line.additional_properties = d
        return team_line

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
