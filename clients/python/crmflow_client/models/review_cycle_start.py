from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewCycleStart")


@_attrs_define
class ReviewCycleStart:
    """POST /v1/review-cycles: the period defaults to the quarter just ended.

    Attributes:
        period (None | str | Unset):
    """

    period: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        period: None | str | Unset
        if isinstance(self.period, Unset):
            period = UNSET
        else:
            period = self.period

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if period is not UNSET:
            field_dict["period"] = period

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_period(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        period = _parse_period(d.pop("period", UNSET))

        review_cycle_start = cls(
            period=period,
        )

        return review_cycle_start
