from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.timeline_entry_out import TimelineEntryOut


T = TypeVar("T", bound="TimelinePage")


@_attrs_define
class TimelinePage:
    """A page of the timeline, oldest first.

    Attributes:
        customer_id (int):
        has_more (bool):
        items (list[TimelineEntryOut]):
        limit (int):
        next_offset (int | None):
        offset (int):
    """

    customer_id: int
    has_more: bool
    items: list[TimelineEntryOut]
    limit: int
    next_offset: int | None
    offset: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        has_more = self.has_more

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        limit = self.limit

        next_offset: int | None
        next_offset = self.next_offset

        offset = self.offset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "has_more": has_more,
                "items": items,
                "limit": limit,
                "next_offset": next_offset,
                "offset": offset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_entry_out import TimelineEntryOut  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        has_more = d.pop("has_more")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = TimelineEntryOut.from_dict(items_item_data)

            items.append(items_item)

        limit = d.pop("limit")

        def _parse_next_offset(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_offset = _parse_next_offset(d.pop("next_offset"))

        offset = d.pop("offset")

        timeline_page = cls(
            customer_id=customer_id,
            has_more=has_more,
            items=items,
            limit=limit,
            next_offset=next_offset,
            offset=offset,
        )

        timeline_page.additional_properties = d
        return timeline_page

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
