from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TransactionOut")


@_attrs_define
class TransactionOut:
    """
    Attributes:
        amount (str):
        created_at (datetime.datetime):
        customer_id (int):
        external_ref (None | str):
        id (int):
        occurred_on (datetime.date):
    """

    amount: str
    created_at: datetime.datetime
    customer_id: int
    external_ref: None | str
    id: int
    occurred_on: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        customer_id = self.customer_id

        external_ref: None | str
        external_ref = self.external_ref

        id = self.id

        occurred_on = self.occurred_on.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "customer_id": customer_id,
                "external_ref": external_ref,
                "id": id,
                "occurred_on": occurred_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        customer_id = d.pop("customer_id")

        def _parse_external_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_ref = _parse_external_ref(d.pop("external_ref"))

        id = d.pop("id")

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        transaction_out = cls(
            amount=amount,
            created_at=created_at,
            customer_id=customer_id,
            external_ref=external_ref,
            id=id,
            occurred_on=occurred_on,
        )

        transaction_out.additional_properties = d
        return transaction_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
