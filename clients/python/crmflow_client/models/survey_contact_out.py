from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.survey_contact_out_language import SurveyContactOutLanguage
from ..types import UNSET, Unset

T = TypeVar("T", bound="SurveyContactOut")


@_attrs_define
class SurveyContactOut:
    """
    Attributes:
        customer_id (int):
        email (None | str | Unset):
        language (SurveyContactOutLanguage | Unset):  Default: SurveyContactOutLanguage.ZH_CN.
        name (str | Unset):  Default: ''.
    """

    customer_id: int
    email: None | str | Unset = UNSET
    language: SurveyContactOutLanguage | Unset = SurveyContactOutLanguage.ZH_CN
    name: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

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

        field_dict.update(
            {
                "customer_id": customer_id,
            }
        )
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
        customer_id = d.pop("customer_id")

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        _language = d.pop("language", UNSET)
        language: SurveyContactOutLanguage | Unset
        if isinstance(_language, Unset):
            language = UNSET
        else:
            language = SurveyContactOutLanguage(_language)

        name = d.pop("name", UNSET)

        survey_contact_out = cls(
            customer_id=customer_id,
            email=email,
            language=language,
            name=name,
        )

        return survey_contact_out
