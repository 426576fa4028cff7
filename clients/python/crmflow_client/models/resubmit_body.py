from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.resubmit_body_fields_type_0 import ResubmitBodyFieldsType0


T = TypeVar("T", bound="ResubmitBody")


@_attrs_define
class ResubmitBody:
    """
    Attributes:
        comment (None | str | Unset):
        fields (None | ResubmitBodyFieldsType0 | Unset):
    """

    comment: None | str | Unset = UNSET
    fields: None | ResubmitBodyFieldsType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.resubmit_body_fields_type_0 import ResubmitBodyFieldsType0  # noqa: PLC0415

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        fields: dict[str, Any] | None | Unset
        if isinstance(self.fields, Unset):
            fields = UNSET
        elif isinstance(self.fields, ResubmitBodyFieldsType0):
            fields = self.fields.to_dict()
        else:
            fields = self.fields

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if comment is not UNSET:
            field_dict["comment"] = comment
        if fields is not UNSET:
            field_dict["fields"] = fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.resubmit_body_fields_type_0 import ResubmitBodyFieldsType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_fields(data: object) -> None | ResubmitBodyFieldsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                fields_type_0 = ResubmitBodyFieldsType0.from_dict(data)

                return fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResubmitBodyFieldsType0 | Unset, data)

        fields = _parse_fields(d.pop("fields", UNSET))

        resubmit_body = cls(
            comment=comment,
            fields=fields,
        )

        return resubmit_body
