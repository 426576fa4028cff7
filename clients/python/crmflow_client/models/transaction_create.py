from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TransactionCreate")


@_attrs_define
class TransactionCreate:
    """POST /v1/customers/{id}/transactions.

    Attributes:
        amount (float | str):
        occurred_on (datetime.date):
        external_ref (None | str | Unset):
    """

    amount: float | str
    occurred_on: datetime.date
    external_ref: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        occurred_on = self.occurred_on.isoformat()

        external_ref: None | str | Unset
        if isinstance(self.external_ref, Unset):
            external_ref = UNSET
        else:
            external_ref = self.external_ref

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "occurred_on": occurred_on,
            }
        )
        if external_ref is not UNSET:
            field_dict["external_ref"] = external_ref

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        def _parse_external_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_ref = _parse_external_ref(d.pop("external_ref", UNSET))

        transaction_create = cls(
            amount=amount,
            occurred_on=occurred_on,
            external_ref=external_ref,
        )

        return transaction_create
