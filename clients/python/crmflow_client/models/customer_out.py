from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerOut")


@_attrs_define
class CustomerOut:
    """A customer as the API shows it.

    Attributes:
        created_at (datetime.datetime):
        declared_annual_value (str):
        external_ref (None | str):
        id (int):
        industry (str):
        last_follow_up_at (datetime.datetime | None):
        name (str):
        owner_assigned_at (datetime.datetime | None):
        owner_id (int | None):
        previous_owner_id (int | None):
        region (str):
        status (str):
        tier (int):
        updated_at (datetime.datetime):
        activated_at (datetime.datetime | None | Unset):
        next_contact_at (datetime.datetime | None | Unset):
        process_id (None | str | Unset):
        status_reason (None | str | Unset):
    """

    created_at: datetime.datetime
    declared_annual_value: str
    external_ref: None | str
    id: int
    industry: str
    last_follow_up_at: datetime.datetime | None
    name: str
    owner_assigned_at: datetime.datetime | None
    owner_id: int | None
    previous_owner_id: int | None
    region: str
    status: str
    tier: int
    updated_at: datetime.datetime
    activated_at: datetime.datetime | None | Unset = UNSET
    next_contact_at: datetime.datetime | None | Unset = UNSET
    process_id: None | str | Unset = UNSET
    status_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        declared_annual_value = self.declared_annual_value

        external_ref: None | str
        external_ref = self.external_ref

        id = self.id

        industry = self.industry

        last_follow_up_at: None | str
        if isinstance(self.last_follow_up_at, datetime.datetime):
            last_follow_up_at = self.last_follow_up_at.isoformat()
        else:
            last_follow_up_at = self.last_follow_up_at

        name = self.name

        owner_assigned_at: None | str
        if isinstance(self.owner_assigned_at, datetime.datetime):
            owner_assigned_at = self.owner_assigned_at.isoformat()
        else:
            owner_assigned_at = self.owner_assigned_at

        owner_id: int | None
        owner_id = self.owner_id

        previous_owner_id: int | None
        previous_owner_id = self.previous_owner_id

        region = self.region

        status = self.status

        tier = self.tier

        updated_at = self.updated_at.isoformat()

        activated_at: None | str | Unset
        if isinstance(self.activated_at, Unset):
            activated_at = UNSET
        elif isinstance(self.activated_at, datetime.datetime):
            activated_at = self.activated_at.isoformat()
        else:
            activated_at = self.activated_at

        next_contact_at: None | str | Unset
        if isinstance(self.next_contact_at, Unset):
            next_contact_at = UNSET
        elif isinstance(self.next_contact_at, datetime.datetime):
            next_contact_at = self.next_contact_at.isoformat()
        else:
            next_contact_at = self.next_contact_at

        process_id: None | str | Unset
        if isinstance(self.process_id, Unset):
            process_id = UNSET
        else:
            process_id = self.process_id

        status_reason: None | str | Unset
        if isinstance(self.status_reason, Unset):
            status_reason = UNSET
        else:
            status_reason = self.status_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "declared_annual_value": declared_annual_value,
                "external_ref": external_ref,
                "id": id,
                "industry": industry,
                "last_follow_up_at": last_follow_up_at,
                "name": name,
                "owner_assigned_at": owner_assigned_at,
                "owner_id": owner_id,
                "previous_owner_id": previous_owner_id,
                "region": region,
                "status": status,
                "tier": tier,
                "updated_at": updated_at,
            }
        )
        if activated_at is not UNSET:
            field_dict["activated_at"] = activated_at
        if next_contact_at is not UNSET:
            field_dict["next_contact_at"] = next_contact_at
        if process_id is not UNSET:
            field_dict["process_id"] = process_id
        if status_reason is not UNSET:
            field_dict["status_reason"] = status_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        declared_annual_value = d.pop("declared_annual_value")

        def _parse_external_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_ref = _parse_external_ref(d.pop("external_ref"))

        id = d.pop("id")

        industry = d.pop("industry")

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

        name = d.pop("name")

        def _parse_owner_assigned_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                owner_assigned_at_type_0 = datetime.datetime.fromisoformat(data)

                return owner_assigned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        owner_assigned_at = _parse_owner_assigned_at(d.pop("owner_assigned_at"))

        def _parse_owner_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        owner_id = _parse_owner_id(d.pop("owner_id"))

        def _parse_previous_owner_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        previous_owner_id = _parse_previous_owner_id(d.pop("previous_owner_id"))

        region = d.pop("region")

        status = d.pop("status")

        tier = d.pop("tier")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_activated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                activated_at_type_0 = datetime.datetime.fromisoformat(data)

                return activated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        activated_at = _parse_activated_at(d.pop("activated_at", UNSET))

        def _parse_next_contact_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_contact_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_contact_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_contact_at = _parse_next_contact_at(d.pop("next_contact_at", UNSET))

        def _parse_process_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        process_id = _parse_process_id(d.pop("process_id", UNSET))

        def _parse_status_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_reason = _parse_status_reason(d.pop("status_reason", UNSET))

        customer_out = cls(
            created_at=created_at,
            declared_annual_value=declared_annual_value,
            external_ref=external_ref,
            id=id,
            industry=industry,
            last_follow_up_at=last_follow_up_at,
            name=name,
            owner_assigned_at=owner_assigned_at,
            owner_id=owner_id,
            previous_owner_id=previous_owner_id,
            region=region,
            status=status,
            tier=tier,
            updated_at=updated_at,
            activated_at=activated_at,
            next_contact_at=next_contact_at,
            process_id=process_id,
            status_reason=status_reason,
        )

        customer_out.additional_properties = d
        return customer_out

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
