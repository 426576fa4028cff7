from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.follow_up_create_channel import FollowUpCreateChannel
from ..types import UNSET, Unset

T = TypeVar("T", bound="FollowUpCreate")


@_attrs_define
class FollowUpCreate:
    """POST /v1/customers/{id}/follow-ups.

    Attributes:
        channel (FollowUpCreateChannel):
        note (str | Unset):  Default: ''.
        occurred_at (datetime.datetime | None | Unset):
    """

    channel: FollowUpCreateChannel
    note: str | Unset = ""
    occurred_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        note = self.note

        occurred_at: None | str | Unset
        if isinstance(self.occurred_at, Unset):
            occurred_at = UNSET
        elif isinstance(self.occurred_at, datetime.datetime):
            occurred_at = self.occurred_at.isoformat()
        else:
            occurred_at = self.occurred_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if occurred_at is not UNSET:
            field_dict["occurred_at"] = occurred_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = FollowUpCreateChannel(d.pop("channel"))

        note = d.pop("note", UNSET)

        def _parse_occurred_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                occurred_at_type_0 = datetime.datetime.fromisoformat(data)

                return occurred_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        occurred_at = _parse_occurred_at(d.pop("occurred_at", UNSET))

        follow_up_create = cls(
            channel=channel,
            note=note,
            occurred_at=occurred_at,
        )

        return follow_up_create
