from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WaveRequest")


@_attrs_define
class WaveRequest:
    """A hand-started wave: every due customer, or only these (the N-days rule always applies).

    Attributes:
        customer_ids (list[int] | None | Unset):
    """

    customer_ids: list[int] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        customer_ids: list[int] | None | Unset
        if isinstance(self.customer_ids, Unset):
            customer_ids = UNSET
        elif isinstance(self.customer_ids, list):
            customer_ids = self.customer_ids

        else:
            customer_ids = self.customer_ids

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if customer_ids is not UNSET:
            field_dict["customer_ids"] = customer_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_customer_ids(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                customer_ids_type_0 = cast(list[int], data)

                return customer_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        customer_ids = _parse_customer_ids(d.pop("customer_ids", UNSET))

        wave_request = cls(
            customer_ids=customer_ids,
        )

        return wave_request
