from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.staff_role import StaffRole

T = TypeVar("T", bound="StaffOut")


@_attrs_define
class StaffOut:
    """A staff member as the API shows it.

    Attributes:
        active (bool):
        capacity (int):
        created_at (datetime.datetime):
        delegate_id (int | None):
        email (str):
        id (int):
        name (str):
        out_of_office_until (datetime.datetime | None):
        region (str):
        role (StaffRole):
        supervisor_id (int | None):
        updated_at (datetime.datetime):
    """

    active: bool
    capacity: int
    created_at: datetime.datetime
    delegate_id: int | None
    email: str
    id: int
    name: str
    out_of_office_until: datetime.datetime | None
    region: str
    role: StaffRole
    supervisor_id: int | None
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        capacity = self.capacity

        created_at = self.created_at.isoformat()

        delegate_id: int | None
        delegate_id = self.delegate_id

        email = self.email

        id = self.id

        name = self.name

        out_of_office_until: None | str
        if isinstance(self.out_of_office_until, datetime.datetime):
            out_of_office_until = self.out_of_office_until.isoformat()
        else:
            out_of_office_until = self.out_of_office_until

        region = self.region

        role = self.role.value

        supervisor_id: int | None
        supervisor_id = self.supervisor_id

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "capacity": capacity,
                "created_at": created_at,
                "delegate_id": delegate_id,
                "email": email,
                "id": id,
                "name": name,
                "out_of_office_until": out_of_office_until,
                "region": region,
                "role": role,
                "supervisor_id": supervisor_id,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active = d.pop("active")

        capacity = d.pop("capacity")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_delegate_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        delegate_id = _parse_delegate_id(d.pop("delegate_id"))

        email = d.pop("email")

        id = d.pop("id")

        name = d.pop("name")

        def _parse_out_of_office_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                out_of_office_until_type_0 = datetime.datetime.fromisoformat(data)

                return out_of_office_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        out_of_office_until = _parse_out_of_office_until(d.pop("out_of_office_until"))

        region = d.pop("region")

        role = StaffRole(d.pop("role"))

        def _parse_supervisor_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        supervisor_id = _parse_supervisor_id(d.pop("supervisor_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        staff_out = cls(
            active=active,
            capacity=capacity,
            created_at=created_at,
            delegate_id=delegate_id,
            email=email,
            id=id,
            name=name,
            out_of_office_until=out_of_office_until,
            region=region,
            role=role,
            supervisor_id=supervisor_id,
            updated_at=updated_at,
        )

        staff_out.additional_properties = d
        return staff_out

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
