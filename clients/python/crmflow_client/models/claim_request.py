from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClaimRequest")


@_attrs_define
class ClaimRequest:
    """POST /v1/pool/{customer_id}/claim: managers claim for themselves; directors/admins name the manager.

    Attributes:
        staff_id (int | None | Unset):
    """

    staff_id: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        staff_id: int | None | Unset
        if isinstance(self.staff_id, Unset):
            staff_id = UNSET
        else:
            staff_id = self.staff_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if staff_id is not UNSET:
            field_dict["staff_id"] = staff_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_staff_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        staff_id = _parse_staff_id(d.pop("staff_id", UNSET))

        claim_request = cls(
            staff_id=staff_id,
        )

        return claim_request
