from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ChangeBody")


@_attrs_define
class ChangeBody:
    """POST /v1/targets/{id}/change: ask to change one agreed value (an approval decides).

    Attributes:
        metric (str):
        reason (str):
        value (float):
    """

    metric: str
    reason: str
    value: float

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        reason = self.reason

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "metric": metric,
                "reason": reason,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        metric = d.pop("metric")

        reason = d.pop("reason")

        value = d.pop("value")

        change_body = cls(
            metric=metric,
            reason=reason,
            value=value,
        )

        return change_body
