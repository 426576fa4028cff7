from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ResolveBody")


@_attrs_define
class ResolveBody:
    """
    Attributes:
        resolution (str):
        compensation_amount (float | None | str | Unset):
    """

    resolution: str
    compensation_amount: float | None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        resolution = self.resolution

        compensation_amount: float | None | str | Unset
        if isinstance(self.compensation_amount, Unset):
            compensation_amount = UNSET
        else:
            compensation_amount = self.compensation_amount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resolution": resolution,
            }
        )
        if compensation_amount is not UNSET:
            field_dict["compensation_amount"] = compensation_amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resolution = d.pop("resolution")

        def _parse_compensation_amount(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        compensation_amount = _parse_compensation_amount(d.pop("compensation_amount", UNSET))

        resolve_body = cls(
            resolution=resolution,
            compensation_amount=compensation_amount,
        )

        return resolve_body
