from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.complete_body_data import CompleteBodyData


T = TypeVar("T", bound="CompleteBody")


@_attrs_define
class CompleteBody:
    """POST /v1/tasks/{id}/complete: the form's data, checked against the task's form.

    Attributes:
        data (CompleteBodyData):
        comment (None | str | Unset):
    """

    data: CompleteBodyData
    comment: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.complete_body_data import CompleteBodyData  # noqa: PLC0415

        d = dict(src_dict)
        data = CompleteBodyData.from_dict(d.pop("data"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        complete_body = cls(
            data=data,
            comment=comment,
        )

        return complete_body
