from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.preferences_in_language_type_0 import PreferencesInLanguageType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.personal_webhook import PersonalWebhook
    from ..models.preferences_in_channels import PreferencesInChannels
    from ..models.quiet_hours import QuietHours


T = TypeVar("T", bound="PreferencesIn")


@_attrs_define
class PreferencesIn:
    """PUT /v1/me/preferences: the whole preference document (left-out fields go back to the defaults).

    Attributes:
        channels (PreferencesInChannels | Unset): kind (or '*' for every kind) → channels; in_app is always on
        language (None | PreferencesInLanguageType0 | Unset):
        quiet_hours (None | QuietHours | Unset):
        timezone (None | str | Unset):
        webhook (None | PersonalWebhook | Unset):
        webhook_endpoint (None | str | Unset): a named endpoint (settings)
    """

    channels: PreferencesInChannels | Unset = UNSET
    language: None | PreferencesInLanguageType0 | Unset = UNSET
    quiet_hours: None | QuietHours | Unset = UNSET
    timezone: None | str | Unset = UNSET
    webhook: None | PersonalWebhook | Unset = UNSET
    webhook_endpoint: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.personal_webhook import PersonalWebhook  # noqa: PLC0415
        from ..models.quiet_hours import QuietHours  # noqa: PLC0415

        channels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = self.channels.to_dict()

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, PreferencesInLanguageType0):
            language = self.language.value
        else:
            language = self.language

        quiet_hours: dict[str, Any] | None | Unset
        if isinstance(self.quiet_hours, Unset):
            quiet_hours = UNSET
        elif isinstance(self.quiet_hours, QuietHours):
            quiet_hours = self.quiet_hours.to_dict()
        else:
            quiet_hours = self.quiet_hours

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        webhook: dict[str, Any] | None | Unset
        if isinstance(self.webhook, Unset):
            webhook = UNSET
        elif isinstance(self.webhook, PersonalWebhook):
            webhook = self.webhook.to_dict()
        else:
            webhook = self.webhook

        webhook_endpoint: None | str | Unset
        if isinstance(self.webhook_endpoint, Unset):
            webhook_endpoint = UNSET
        else:
            webhook_endpoint = self.webhook_endpoint

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if channels is not UNSET:
            field_dict["channels"] = channels
        if language is not UNSET:
            field_dict["language"] = language
        if quiet_hours is not UNSET:
            field_dict["quiet_hours"] = quiet_hours
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if webhook_endpoint is not UNSET:
            field_dict["webhook_endpoint"] = webhook_endpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.personal_webhook import PersonalWebhook  # noqa: PLC0415
        from ..models.preferences_in_channels import PreferencesInChannels  # noqa: PLC0415
        from ..models.quiet_hours import QuietHours  # noqa: PLC0415

        d = dict(src_dict)
        _channels = d.pop("channels", UNSET)
        channels: PreferencesInChannels | Unset
        if isinstance(_channels, Unset):
            channels = UNSET
        else:
            channels = PreferencesInChannels.from_dict(_channels)

        def _parse_language(data: object) -> None | PreferencesInLanguageType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = PreferencesInLanguageType0(data)

                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PreferencesInLanguageType0 | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_quiet_hours(data: object) -> None | QuietHours | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quiet_hours_type_0 = QuietHours.from_dict(data)

                return quiet_hours_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuietHours | Unset, data)

        quiet_hours = _parse_quiet_hours(d.pop("quiet_hours", UNSET))

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        def _parse_webhook(data: object) -> None | PersonalWebhook | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                webhook_type_0 = PersonalWebhook.from_dict(data)

                return webhook_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PersonalWebhook | Unset, data)

        webhook = _parse_webhook(d.pop("webhook", UNSET))

        def _parse_webhook_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook_endpoint = _parse_webhook_endpoint(d.pop("webhook_endpoint", UNSET))

        preferences_in = cls(
            channels=channels,
            language=language,
            quiet_hours=quiet_hours,
            timezone=timezone,
            webhook=webhook,
            webhook_endpoint=webhook_endpoint,
        )

        return preferences_in
