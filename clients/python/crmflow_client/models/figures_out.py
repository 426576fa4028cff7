from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FiguresOut")


@_attrs_define
class FiguresOut:
    """
    Attributes:
        answered (int):
        csat (float | None):
        invited (int):
        nps (float | None):
        period (str):
        response_rate (float | None):
    """

    answered: int
    csat: float | None
    invited: int
    nps: float | None
    period: str
    response_rate: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        answered = self.answered

        csat: float | None
        csat = self.csat

        invited = self.invited

        nps: float | None
        nps = self.nps

        period = self.period

        response_rate: float | None
        response_rate = self.response_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "answered": answered,
                "csat": csat,
                "invited": invited,
                "nps": nps,
                "period": period,
                "response_rate": response_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        answered = d.pop("answered")

        def _parse_csat(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        csat = _parse_csat(d.pop("csat"))

        invited = d.pop("invited")

        def _parse_nps(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        nps = _parse_nps(d.pop("nps"))

        period = d.pop("period")

        def _parse_response_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        response_rate = _parse_response_rate(d.pop("response_rate"))

        figures_out = cls(
            answered=answered,
            csat=csat,
            invited=invited,
            nps=nps,
            period=period,
            response_rate=response_rate,
        )

        figures_out.additional_properties = d
        return figures_out

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
