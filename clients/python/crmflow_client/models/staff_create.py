from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.staff_role import StaffRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="StaffCreate")


@_attrs_define
class StaffCreate:
    """POST /v1/staff.

    Attributes:
        email (str):
        name (str):
        role (StaffRole):
        capacity (int | Unset):  Default: 50.
        delegate_id (int | None | Unset):
        out_of_office_until (datetime.datetime | None | Unset):
        region (str | Unset):  Default: ''.
        supervisor_id (int | None | Unset):
    """

    email: str
    name: str
    role: StaffRole
    capacity: int | Unset = 50
    delegate_id: int | None | Unset = UNSET
    out_of_office_until: datetime.datetime | None | Unset = UNSET
    region: str | Unset = ""
    supervisor_id: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        name = self.name

        role = self.role.value

        capacity = self.capacity

        delegate_id: int | None | Unset
        if isinstance(self.delegate_id, Unset):
            delegate_id = UNSET
        else:
            delegate_id = self.delegate_id

        out_of_office_until: None | str | Unset
        if isinstance(self.out_of_office_until, Unset):
            out_of_office_until = UNSET
        elif isinstance(self.out_of_office_until, datetime.datetime):
            out_of_office_until = self.out_of_office_until.isoformat()
        else:
            out_of_office_until = self.out_of_office_until

        region = self.region

        supervisor_id: int | None | Unset
        if isinstance(self.supervisor_id, Unset):
            supervisor_id = UNSET
        else:
            supervisor_id = self.supervisor_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "name": name,
                "role": role,
            }
        )
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if delegate_id is not UNSET:
            field_dict["delegate_id"] = delegate_id
        if out_of_office_until is not UNSET:
            field_dict["out_of_office_until"] = out_of_office_until
        if region is not UNSET:
            field_dict["region"] = region
        if supervisor_id is not UNSET:
            field_dict["supervisor_id"] = supervisor_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        name = d.pop("name")

        role = StaffRole(d.pop("role"))

        capacity = d.pop("capacity", UNSET)

        def _parse_delegate_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        delegate_id = _parse_delegate_id(d.pop("delegate_id", UNSET))

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

        region = d.pop("region", UNSET)

        def _parse_supervisor_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        supervisor_id = _parse_supervisor_id(d.pop("supervisor_id", UNSET))

        staff_create = cls(
            email=email,
            name=name,
            role=role,
            capacity=capacity,
            delegate_id=delegate_id,
            out_of_office_until=out_of_office_until,
            region=region,
            supervisor_id=supervisor_id,
        )

        return staff_create
