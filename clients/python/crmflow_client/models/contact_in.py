from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.contact_in_language import ContactInLanguage
from ..types import UNSET, Unset

T = TypeVar("T", bound="ContactIn")


@_attrs_define
class ContactIn:
    """
    Attributes:
        email (None | str | Unset):
        language (ContactInLanguage | Unset):  Default: ContactInLanguage.ZH_CN.
        name (str | Unset):  Default: ''.
    """

    email: None | str | Unset = UNSET
    language: ContactInLanguage | Unset = ContactInLanguage.ZH_CN
    name: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if language is not UNSET:
            field_dict["language"] = language
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        _language = d.pop("language", UNSET)
        language: ContactInLanguage | Unset
        if isinstance(_language, Unset):
            language = UNSET
        else:
            language = ContactInLanguage(_language)

        name = d.pop("name", UNSET)

        contact_in = cls(
            email=email,
            language=language,
            name=name,
        )

        return contact_in
