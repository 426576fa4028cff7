from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AwardLineOut")


@_attrs_define
class AwardLineOut:
    """
    Attributes:
        actual (float | None):
        attainment (float | None):
        band_from (float | None):
        band_points (float | None):
        kind (str):
        line_no (int):
        metric (None | str):
        note (str):
        points (float):
        target (float | None):
        weight (float | None):
    """

    actual: float | None
    attainment: float | None
    band_from: float | None
    band_points: float | None
    kind: str
    line_no: int
    metric: None | str
    note: str
    points: float
    target: float | None
    weight: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actual: float | None
        actual = self.actual

        attainment: float | None
        attainment = self.attainment

        band_from: float | None
        band_from = self.band_from

        band_points: float | None
        band_points = self.band_points

        kind = self.kind

        line_no = self.line_no

        metric: None | str
        metric = self.metric

        note = self.note

        points = self.points

        target: float | None
        target = self.target

        weight: float | None
        weight = self.weight

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actual": actual,
                "attainment": attainment,
                "band_from": band_from,
                "band_points": band_points,
                "kind": kind,
                "line_no": line_no,
                "metric": metric,
                "note": note,
                "points": points,
                "target": target,
                "weight": weight,
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

        def _parse_band_from(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        band_from = _parse_band_from(d.pop("band_from"))

        def _parse_band_points(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        band_points = _parse_band_points(d.pop("band_points"))

        kind = d.pop("kind")

        line_no = d.pop("line_no")

        def _parse_metric(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        metric = _parse_metric(d.pop("metric"))

        note = d.pop("note")

        points = d.pop("points")

        def _parse_target(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        target = _parse_target(d.pop("target"))

        def _parse_weight(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        weight = _parse_weight(d.pop("weight"))

        award_line_out = cls(
            actual=actual,
            attainment=attainment,
            band_from=band_from,
            band_points=band_points,
            kind=kind,
            line_no=line_no,
            metric=metric,
            note=note,
            points=points,
            target=target,
            weight=weight,
        )

        award_line_out.additional_properties = d
        return award_line_out

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
