from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.staff_role import StaffRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="StaffUpdate")


@_attrs_define
class StaffUpdate:
    """PATCH /v1/staff/{id}: only the fields sent change (null clears supervisor, delegate, out of office).

    Attributes:
        active (bool | None | Unset):
        capacity (int | None | Unset):
        delegate_id (int | None | Unset):
        email (None | str | Unset):
        name (None | str | Unset):
        out_of_office_until (datetime.datetime | None | Unset):
        region (None | str | Unset):
        role (None | StaffRole | Unset):
        supervisor_id (int | None | Unset):
    """

    active: bool | None | Unset = UNSET
    capacity: int | None | Unset = UNSET
    delegate_id: int | None | Unset = UNSET
    email: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    out_of_office_until: datetime.datetime | None | Unset = UNSET
    region: None | str | Unset = UNSET
    role: None | StaffRole | Unset = UNSET
    supervisor_id: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        active: bool | None | Unset
        if isinstance(self.active, Unset):
            active = UNSET
        else:
            active = self.active

        capacity: int | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        delegate_id: int | None | Unset
        if isinstance(self.delegate_id, Unset):
            delegate_id = UNSET
        else:
            delegate_id = self.delegate_id

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        out_of_office_until: None | str | Unset
        if isinstance(self.out_of_office_until, Unset):
            out_of_office_until = UNSET
        elif isinstance(self.out_of_office_until, datetime.datetime):
            out_of_office_until = self.out_of_office_until.isoformat()
        else:
            out_of_office_until = self.out_of_office_until

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        elif isinstance(self.role, StaffRole):
            role = self.role.value
        else:
            role = self.role

        supervisor_id: int | None | Unset
        if isinstance(self.supervisor_id, Unset):
            supervisor_id = UNSET
        else:
            supervisor_id = self.supervisor_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if active is not UNSET:
            field_dict["active"] = active
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if delegate_id is not UNSET:
            field_dict["delegate_id"] = delegate_id
        if email is not UNSET:
            field_dict["email"] = email
        if name is not UNSET:
            field_dict["name"] = name
        if out_of_office_until is not UNSET:
            field_dict["out_of_office_until"] = out_of_office_until
        if region is not UNSET:
            field_dict["region"] = region
        if role is not UNSET:
            field_dict["role"] = role
        if supervisor_id is not UNSET:
            field_dict["supervisor_id"] = supervisor_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        active = _parse_active(d.pop("active", UNSET))

        def _parse_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))

        def _parse_delegate_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        delegate_id = _parse_delegate_id(d.pop("delegate_id", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_out_of_office_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                out_of_office_until_type_0 = datetime.datetime.fromisoformat(data)

                return out_of_office_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        out_of_office_until = _parse_out_of_office_until(d.pop("out_of_office_until", UNSET))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_role(data: object) -> None | StaffRole | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_0 = StaffRole(data)

                return role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StaffRole | Unset, data)

        role = _parse_role(d.pop("role", UNSET))

        def _parse_supervisor_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        supervisor_id = _parse_supervisor_id(d.pop("supervisor_id", UNSET))

        staff_update = cls(
            active=active,
            capacity=capacity,
            delegate_id=delegate_id,
            email=email,
            name=name,
            out_of_office_until=out_of_office_until,
            region=region,
            role=role,
            supervisor_id=supervisor_id,
        )

        return staff_update
