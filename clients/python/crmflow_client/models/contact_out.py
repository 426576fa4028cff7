from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ContactOut")


@_attrs_define
class ContactOut:
    """A customer whose next contact is coming up or overdue, with its owner.

    Attributes:
        customer_id (int):
        customer_name (str):
        days_left (int):
        days_overdue (int):
        last_follow_up_at (datetime.datetime | None):
        next_contact_at (datetime.datetime):
        owner_id (int | None):
        owner_name (None | str):
        region (str):
        tier (int):
    """

    customer_id: int
    customer_name: str
    days_left: int
    days_overdue: int
    last_follow_up_at: datetime.datetime | None
    next_contact_at: datetime.datetime
    owner_id: int | None
    owner_name: None | str
    region: str
    tier: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        customer_name = self.customer_name

        days_left = self.days_left

        days_overdue = self.days_overdue

        last_follow_up_at: None | str
        if isinstance(self.last_follow_up_at, datetime.datetime):
            last_follow_up_at = self.last_follow_up_at.isoformat()
        else:
            last_follow_up_at = self.last_follow_up_at

        next_contact_at = self.next_contact_at.isoformat()

        owner_id: int | None
        owner_id = self.owner_id

        owner_name: None | str
        owner_name = self.owner_name

        region = self.region

        tier = self.tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "customer_name": customer_name,
                "days_left": days_left,
                "days_overdue": days_overdue,
                "last_follow_up_at": last_follow_up_at,
                "next_contact_at": next_contact_at,
                "owner_id": owner_id,
                "owner_name": owner_name,
                "region": region,
                "tier": tier,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        customer_name = d.pop("customer_name")

        days_left = d.pop("days_left")

        days_overdue = d.pop("days_overdue")

        def _parse_last_follow_up_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_follow_up_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_follow_up_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_follow_up_at = _parse_last_follow_up_at(d.pop("last_follow_up_at"))

        next_contact_at = datetime.datetime.fromisoformat(d.pop("next_contact_at"))

        def _parse_owner_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        owner_id = _parse_owner_id(d.pop("owner_id"))

        def _parse_owner_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner_name = _parse_owner_name(d.pop("owner_name"))

        region = d.pop("region")

        tier = d.pop("tier")

        contact_out = cls(
            customer_id=customer_id,
            customer_name=customer_name,
            days_left=days_left,
            days_overdue=days_overdue,
            last_follow_up_at=last_follow_up_at,
            next_contact_at=next_contact_at,
            owner_id=owner_id,
            owner_name=owner_name,
            region=region,
            tier=tier,
        )

        contact_out.additional_properties = d
        return contact_out

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
