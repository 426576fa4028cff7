from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.personal_webhook_format import PersonalWebhookFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="PersonalWebhook")


@_attrs_define
class PersonalWebhook:
    """The person's own chat robot (group robot URL) or generic receiver (signed with the server's secret).

    Attributes:
        url (str):
        format_ (PersonalWebhookFormat | Unset):  Default: PersonalWebhookFormat.GENERIC.
    """

    url: str
    format_: PersonalWebhookFormat | Unset = PersonalWebhookFormat.GENERIC

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if format_ is not UNSET:
            field_dict["format"] = format_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        _format_ = d.pop("format", UNSET)
        format_: PersonalWebhookFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = PersonalWebhookFormat(_format_)

        personal_webhook = cls(
            url=url,
            format_=format_,
        )

        return personal_webhook
