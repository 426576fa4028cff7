from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TargetOpen")


@_attrs_define
class TargetOpen:
    """POST /v1/targets: open one manager's target setting for a period.

    Attributes:
        period (str):
        staff_id (int):
    """

    period: str
    staff_id: int

    def to_dict(self) -> dict[str, Any]:
        period = self.period

        staff_id = self.staff_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "period": period,
                "staff_id": staff_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        period = d.pop("period")

        staff_id = d.pop("staff_id")

        target_open = cls(
            period=period,
            staff_id=staff_id,
        )

        return target_open
