from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.add_approver_body_position import AddApproverBodyPosition
from ..types import UNSET, Unset

T = TypeVar("T", bound="AddApproverBody")


@_attrs_define
class AddApproverBody:
    """
    Attributes:
        staff_id (int):
        comment (None | str | Unset):
        position (AddApproverBodyPosition | Unset):  Default: AddApproverBodyPosition.AFTER.
    """

    staff_id: int
    comment: None | str | Unset = UNSET
    position: AddApproverBodyPosition | Unset = AddApproverBodyPosition.AFTER

    def to_dict(self) -> dict[str, Any]:
        staff_id = self.staff_id

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        position: str | Unset = UNSET
        if not isinstance(self.position, Unset):
            position = self.position.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "staff_id": staff_id,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if position is not UNSET:
            field_dict["position"] = position

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        staff_id = d.pop("staff_id")

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        _position = d.pop("position", UNSET)
        position: AddApproverBodyPosition | Unset
        if isinstance(_position, Unset):
            position = UNSET
        else:
            position = AddApproverBodyPosition(_position)

        add_approver_body = cls(
            staff_id=staff_id,
            comment=comment,
            position=position,
        )

        return add_approver_body
