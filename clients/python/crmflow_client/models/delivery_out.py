from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DeliveryOut")


@_attrs_define
class DeliveryOut:
    """A delivery record: one channel of one notification.

    Attributes:
        attempts (int):
        channel (str):
        created_at (datetime.datetime):
        delivered_at (datetime.datetime | None):
        failed_at (datetime.datetime | None):
        hold_until (datetime.datetime | None):
        id (int):
        kind (str):
        last_error (None | str):
        manual_retries (int):
        message_id (str):
        notification_id (int):
        recipient_id (int | None):
        status (str):
        subject (str):
        target (None | str):
        uncertain_resends (int):
        updated_at (datetime.datetime):
    """

    attempts: int
    channel: str
    created_at: datetime.datetime
    delivered_at: datetime.datetime | None
    failed_at: datetime.datetime | None
    hold_until: datetime.datetime | None
    id: int
    kind: str
    last_error: None | str
    manual_retries: int
    message_id: str
    notification_id: int
    recipient_id: int | None
    status: str
    subject: str
    target: None | str
    uncertain_resends: int
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        channel = self.channel

        created_at = self.created_at.isoformat()

        delivered_at: None | str
        if isinstance(self.delivered_at, datetime.datetime):
            delivered_at = self.delivered_at.isoformat()
        else:
            delivered_at = self.delivered_at

        failed_at: None | str
        if isinstance(self.failed_at, datetime.datetime):
            failed_at = self.failed_at.isoformat()
        else:
            failed_at = self.failed_at

        hold_until: None | str
        if isinstance(self.hold_until, datetime.datetime):
            hold_until = self.hold_until.isoformat()
        else:
            hold_until = self.hold_until

        id = self.id

        kind = self.kind

        last_error: None | str
        last_error = self.last_error

        manual_retries = self.manual_retries

        message_id = self.message_id

        notification_id = self.notification_id

        recipient_id: int | None
        recipient_id = self.recipient_id

        status = self.status

        subject = self.subject

        target: None | str
        target = self.target

        uncertain_resends = self.uncertain_resends

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "channel": channel,
                "created_at": created_at,
                "delivered_at": delivered_at,
                "failed_at": failed_at,
                "hold_until": hold_until,
                "id": id,
                "kind": kind,
                "last_error": last_error,
                "manual_retries": manual_retries,
                "message_id": message_id,
                "notification_id": notification_id,
                "recipient_id": recipient_id,
                "status": status,
                "subject": subject,
                "target": target,
                "uncertain_resends": uncertain_resends,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        channel = d.pop("channel")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_delivered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivered_at_type_0 = datetime.datetime.fromisoformat(data)

                return delivered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at"))

        def _parse_failed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                failed_at_type_0 = datetime.datetime.fromisoformat(data)

                return failed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        failed_at = _parse_failed_at(d.pop("failed_at"))

        def _parse_hold_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                hold_until_type_0 = datetime.datetime.fromisoformat(data)

                return hold_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        hold_until = _parse_hold_until(d.pop("hold_until"))

        id = d.pop("id")

        kind = d.pop("kind")

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))

        manual_retries = d.pop("manual_retries")

        message_id = d.pop("message_id")

        notification_id = d.pop("notification_id")

        def _parse_recipient_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        recipient_id = _parse_recipient_id(d.pop("recipient_id"))

        status = d.pop("status")

        subject = d.pop("subject")

        def _parse_target(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target = _parse_target(d.pop("target"))

        uncertain_resends = d.pop("uncertain_resends")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        delivery_out = cls(
            attempts=attempts,
            channel=channel,
            created_at=created_at,
            delivered_at=delivered_at,
            failed_at=failed_at,
            hold_until=hold_until,
            id=id,
            kind=kind,
            last_error=last_error,
            manual_retries=manual_retries,
            message_id=message_id,
            notification_id=notification_id,
            recipient_id=recipient_id,
            status=status,
            subject=subject,
            target=target,
            uncertain_resends=uncertain_resends,
            updated_at=updated_at,
        )

        delivery_out.additional_properties = d
        return delivery_out

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
