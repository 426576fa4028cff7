from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.values_body_values import ValuesBodyValues


T = TypeVar("T", bound="ValuesBody")


@_attrs_define
class ValuesBody:
    """POST /v1/targets/{id}/propose and /counter: a value for every metric of the target.

    Attributes:
        values (ValuesBodyValues):
        reason (None | str | Unset):
    """

    values: ValuesBodyValues
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        values = self.values.to_dict()

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "values": values,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.values_body_values import ValuesBodyValues  # noqa: PLC0415

        d = dict(src_dict)
        values = ValuesBodyValues.from_dict(d.pop("values"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        values_body = cls(
            values=values,
            reason=reason,
        )

        return values_body
