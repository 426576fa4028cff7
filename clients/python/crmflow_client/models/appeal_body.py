from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AppealBody")


@_attrs_define
class AppealBody:
    """Why the manager contests the award, and optionally the points they think are due.

    Attributes:
        reason (str):
        requested_points (float | None | Unset):
    """

    reason: str
    requested_points: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        requested_points: float | None | Unset
        if isinstance(self.requested_points, Unset):
            requested_points = UNSET
        else:
            requested_points = self.requested_points

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
            }
        )
        if requested_points is not UNSET:
            field_dict["requested_points"] = requested_points

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        def _parse_requested_points(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        requested_points = _parse_requested_points(d.pop("requested_points", UNSET))

        appeal_body = cls(
            reason=reason,
            requested_points=requested_points,
        )

        return appeal_body
