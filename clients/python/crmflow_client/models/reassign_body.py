from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReassignBody")


@_attrs_define
class ReassignBody:
    """
    Attributes:
        owner_id (int):
        note (None | str | Unset):
    """

    owner_id: int
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        owner_id = self.owner_id

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "owner_id": owner_id,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        owner_id = d.pop("owner_id")

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        reassign_body = cls(
            owner_id=owner_id,
            note=note,
        )

        return reassign_body
