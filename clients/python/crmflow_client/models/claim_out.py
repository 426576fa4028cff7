from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClaimOut")


@_attrs_define
class ClaimOut:
    """The claimed customer, now owned.

    Attributes:
        id (int):
        name (str):
        owner_id (int | None):
        status (str):
        tier (int):
        owner_assigned_at (datetime.datetime | None | Unset):
        previous_owner_id (int | None | Unset):
    """

    id: int
    name: str
    owner_id: int | None
    status: str
    tier: int
    owner_assigned_at: datetime.datetime | None | Unset = UNSET
    previous_owner_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        owner_id: int | None
        owner_id = self.owner_id

        status = self.status

        tier = self.tier

        owner_assigned_at: None | str | Unset
        if isinstance(self.owner_assigned_at, Unset):
            owner_assigned_at = UNSET
        elif isinstance(self.owner_assigned_at, datetime.datetime):
            owner_assigned_at = self.owner_assigned_at.isoformat()
        else:
            owner_assigned_at = self.owner_assigned_at

        previous_owner_id: int | None | Unset
        if isinstance(self.previous_owner_id, Unset):
            previous_owner_id = UNSET
        else:
            previous_owner_id = self.previous_owner_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "owner_id": owner_id,
                "status": status,
                "tier": tier,
            }
        )
        if owner_assigned_at is not UNSET:
            field_dict["owner_assigned_at"] = owner_assigned_at
        if previous_owner_id is not UNSET:
            field_dict["previous_owner_id"] = previous_owner_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_owner_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        owner_id = _parse_owner_id(d.pop("owner_id"))

        status = d.pop("status")

        tier = d.pop("tier")

        def _parse_owner_assigned_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                owner_assigned_at_type_0 = datetime.datetime.fromisoformat(data)

                return owner_assigned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        owner_assigned_at = _parse_owner_assigned_at(d.pop("owner_assigned_at", UNSET))

        def _parse_previous_owner_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        previous_owner_id = _parse_previous_owner_id(d.pop("previous_owner_id", UNSET))

        claim_out = cls(
            id=id,
            name=name,
            owner_id=owner_id,
            status=status,
            tier=tier,
            owner_assigned_at=owner_assigned_at,
            previous_owner_id=previous_owner_id,
        )

        claim_out.additional_properties = d
        return claim_out

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
