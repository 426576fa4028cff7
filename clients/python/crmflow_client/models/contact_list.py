from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.contact_list_status import ContactListStatus

if TYPE_CHECKING:
    from ..models.contact_out import ContactOut


T = TypeVar("T", bound="ContactList")


@_attrs_define
class ContactList:
    """One page of upcoming or overdue contacts, soonest (most overdue) first.

    Attributes:
        items (list[ContactOut]):
        limit (int):
        offset (int):
        status (ContactListStatus):
        total (int):
        within_days (int):
    """

    items: list[ContactOut]
    limit: int
    offset: int
    status: ContactListStatus
    total: int
    within_days: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        limit = self.limit

        offset = self.offset

        status = self.status.value

        total = self.total

        within_days = self.within_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "limit": limit,
                "offset": offset,
                "status": status,
                "total": total,
                "within_days": within_days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_out import ContactOut  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ContactOut.from_dict(items_item_data)

            items.append(items_item)

        limit = d.pop("limit")

        offset = d.pop("offset")

        status = ContactListStatus(d.pop("status"))

        total = d.pop("total")

        within_days = d.pop("within_days")

        contact_list = cls(
            items=items,
            limit=limit,
            offset=offset,
            status=status,
            total=total,
            within_days=within_days,
        )

        contact_list.additional_properties = d
        return contact_list

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
