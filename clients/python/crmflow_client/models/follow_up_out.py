from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FollowUpOut")


@_attrs_define
class FollowUpOut:
    """
    Attributes:
        channel (str):
        customer_id (int):
        id (int):
        note (str):
        occurred_at (datetime.datetime):
        staff_id (int | None):
    """

    channel: str
    customer_id: int
    id: int
    note: str
    occurred_at: datetime.datetime
    staff_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        customer_id = self.customer_id

        id = self.id

        note = self.note

        occurred_at = self.occurred_at.isoformat()

        staff_id: int | None
        staff_id = self.staff_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "customer_id": customer_id,
                "id": id,
                "note": note,
                "occurred_at": occurred_at,
                "staff_id": staff_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = d.pop("channel")

        customer_id = d.pop("customer_id")

        id = d.pop("id")

        note = d.pop("note")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        def _parse_staff_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        staff_id = _parse_staff_id(d.pop("staff_id"))

        follow_up_out = cls(
            channel=channel,
            customer_id=customer_id,
            id=id,
            note=note,
            occurred_at=occurred_at,
            staff_id=staff_id,
        )

        follow_up_out.additional_properties = d
        return follow_up_out

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
