from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.decide_body_values import DecideBodyValues


T = TypeVar("T", bound="DecideBody")


@_attrs_define
class DecideBody:
    """POST /v1/targets/{id}/decide: the director's values when supervisor and manager did not agree.

    Attributes:
        values (DecideBodyValues):
        comment (None | str | Unset):
    """

    values: DecideBodyValues
    comment: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        values = self.values.to_dict()

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "values": values,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.decide_body_values import DecideBodyValues  # noqa: PLC0415

        d = dict(src_dict)
        values = DecideBodyValues.from_dict(d.pop("values"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        decide_body = cls(
            values=values,
            comment=comment,
        )

        return decide_body
