from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.preferences_out_language import PreferencesOutLanguage
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.personal_webhook import PersonalWebhook
    from ..models.preferences_out_channels import PreferencesOutChannels
    from ..models.preferences_out_effective_channels import PreferencesOutEffectiveChannels
    from ..models.quiet_hours import QuietHours


T = TypeVar("T", bound="PreferencesOut")


@_attrs_define
class PreferencesOut:
    """A person's preferences and what is in force for them (defaults filled in).

    Attributes:
        channels (PreferencesOutChannels):
        default_channels (list[str]):
        effective_channels (PreferencesOutEffectiveChannels):
        language (PreferencesOutLanguage):
        never_held (list[str]):
        quiet_hours (None | QuietHours):
        staff_id (int):
        timezone (str):
        webhook (None | PersonalWebhook):
        webhook_endpoint (None | str):
        available_channels (list[str] | Unset):
        available_endpoints (list[str] | Unset):
    """

    channels: PreferencesOutChannels
    default_channels: list[str]
    effective_channels: PreferencesOutEffectiveChannels
    language: PreferencesOutLanguage
    never_held: list[str]
    quiet_hours: None | QuietHours
    staff_id: int
    timezone: str
    webhook: None | PersonalWebhook
    webhook_endpoint: None | str
    available_channels: list[str] | Unset = UNSET
    available_endpoints: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.personal_webhook import PersonalWebhook  # noqa: PLC0415
        from ..models.quiet_hours import QuietHours  # noqa: PLC0415

        channels = self.channels.to_dict()

        default_channels = self.default_channels

        effective_channels = self.effective_channels.to_dict()

        language = self.language.value

        never_held = self.never_held

        quiet_hours: dict[str, Any] | None
        if isinstance(self.quiet_hours, QuietHours):
            quiet_hours = self.quiet_hours.to_dict()
        else:
            quiet_hours = self.quiet_hours

        staff_id = self.staff_id

        timezone = self.timezone

        webhook: dict[str, Any] | None
        if isinstance(self.webhook, PersonalWebhook):
            webhook = self.webhook.to_dict()
        else:
            webhook = self.webhook

        webhook_endpoint: None | str
        webhook_endpoint = self.webhook_endpoint

        available_channels: list[str] | Unset = UNSET
        if not isinstance(self.available_channels, Unset):
            available_channels = self.available_channels

        available_endpoints: list[str] | Unset = UNSET
        if not isinstance(self.available_endpoints, Unset):
            available_endpoints = self.available_endpoints

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channels": channels,
                "default_channels": default_channels,
                "effective_channels": effective_channels,
                "language": language,
                "never_held": never_held,
                "quiet_hours": quiet_hours,
                "staff_id": staff_id,
                "timezone": timezone,
                "webhook": webhook,
                "webhook_endpoint": webhook_endpoint,
            }
        )
        if available_channels is not UNSET:
            field_dict["available_channels"] = available_channels
        if available_endpoints is not UNSET:
            field_dict["available_endpoints"] = available_endpoints

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.personal_webhook import PersonalWebhook  # noqa: PLC0415
        from ..models.preferences_out_channels import PreferencesOutChannels  # noqa: PLC0415
        from ..models.preferences_out_effective_channels import PreferencesOutEffectiveChannels  # noqa: PLC0415
        from ..models.quiet_hours import QuietHours  # noqa: PLC0415

        d = dict(src_dict)
        channels = PreferencesOutChannels.from_dict(d.pop("channels"))

        default_channels = cast(list[str], d.pop("default_channels"))

        effective_channels = PreferencesOutEffectiveChannels.from_dict(d.pop("effective_channels"))

        language = PreferencesOutLanguage(d.pop("language"))

        never_held = cast(list[str], d.pop("never_held"))

        def _parse_quiet_hours(data: object) -> None | QuietHours:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quiet_hours_type_0 = QuietHours.from_dict(data)

                return quiet_hours_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuietHours, data)

        quiet_hours = _parse_quiet_hours(d.pop("quiet_hours"))

        staff_id = d.pop("staff_id")

        timezone = d.pop("timezone")

        def _parse_webhook(data: object) -> None | PersonalWebhook:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                webhook_type_0 = PersonalWebhook.from_dict(data)

                return webhook_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PersonalWebhook, data)

        webhook = _parse_webhook(d.pop("webhook"))

        def _parse_webhook_endpoint(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        webhook_endpoint = _parse_webhook_endpoint(d.pop("webhook_endpoint"))

        available_channels = cast(list[str], d.pop("available_channels", UNSET))

        available_endpoints = cast(list[str], d.pop("available_endpoints", UNSET))

        preferences_out = cls(
            channels=channels,
            default_channels=default_channels,
            effective_channels=effective_channels,
            language=language,
            never_held=never_held,
            quiet_hours=quiet_hours,
            staff_id=staff_id,
            timezone=timezone,
            webhook=webhook,
            webhook_endpoint=webhook_endpoint,
            available_channels=available_channels,
            available_endpoints=available_endpoints,
        )

        preferences_out.additional_properties = d
        return preferences_out

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
