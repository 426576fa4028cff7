from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ComputeAwardsBody")


@_attrs_define
class ComputeAwardsBody:
    """
    Attributes:
        period (str):
        replace (bool | Unset):  Default: False.
    """

    period: str
    replace: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        period = self.period

        replace = self.replace

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "period": period,
            }
        )
        if replace is not UNSET:
            field_dict["replace"] = replace

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        period = d.pop("period")

        replace = d.pop("replace", UNSET)

        compute_awards_body = cls(
            period=period,
            replace=replace,
        )

        return compute_awards_body
