from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.notification_out_details_type_0 import NotificationOutDetailsType0


T = TypeVar("T", bound="NotificationOut")


@_attrs_define
class NotificationOut:
    """One notification in the person's feed.

    Attributes:
        created_at (datetime.datetime):
        details (None | NotificationOutDetailsType0):
        entity_id (str):
        entity_type (str):
        id (int):
        kind (str):
        link (str):
        read_at (datetime.datetime | None):
        subject (str):
    """

    created_at: datetime.datetime
    details: None | NotificationOutDetailsType0
    entity_id: str
    entity_type: str
    id: int
    kind: str
    link: str
    read_at: datetime.datetime | None
    subject: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.notification_out_details_type_0 import NotificationOutDetailsType0  # noqa: PLC0415

        created_at = self.created_at.isoformat()

        details: dict[str, Any] | None
        if isinstance(self.details, NotificationOutDetailsType0):
            details = self.details.to_dict()
        else:
            details = self.details

        entity_id = self.entity_id

        entity_type = self.entity_type

        id = self.id

        kind = self.kind

        link = self.link

        read_at: None | str
        if isinstance(self.read_at, datetime.datetime):
            read_at = self.read_at.isoformat()
        else:
            read_at = self.read_at

        subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "details": details,
                "entity_id": entity_id,
                "entity_type": entity_type,
                "id": id,
                "kind": kind,
                "link": link,
                "read_at": read_at,
                "subject": subject,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification_out_details_type_0 import NotificationOutDetailsType0  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_details(data: object) -> None | NotificationOutDetailsType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = NotificationOutDetailsType0.from_dict(data)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | NotificationOutDetailsType0, data)

        details = _parse_details(d.pop("details"))

        entity_id = d.pop("entity_id")

        entity_type = d.pop("entity_type")

        id = d.pop("id")

        kind = d.pop("kind")

        link = d.pop("link")

        def _parse_read_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                read_at_type_0 = datetime.datetime.fromisoformat(data)

                return read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        read_at = _parse_read_at(d.pop("read_at"))

        subject = d.pop("subject")

        notification_out = cls(
            created_at=created_at,
            details=details,
            entity_id=entity_id,
            entity_type=entity_type,
            id=id,
            kind=kind,
            link=link,
            read_at=read_at,
            subject=subject,
        )

        notification_out.additional_properties = d
        return notification_out

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
