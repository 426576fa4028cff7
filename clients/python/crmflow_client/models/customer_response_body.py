from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerResponseBody")


@_attrs_define
class CustomerResponseBody:
    """The customer's answer: accept (with a satisfaction score 1–5) or reopen (accepted=false).

    Attributes:
        accepted (bool):
        comment (None | str | Unset):
        satisfaction (int | None | Unset):
    """

    accepted: bool
    comment: None | str | Unset = UNSET
    satisfaction: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        satisfaction: int | None | Unset
        if isinstance(self.satisfaction, Unset):
            satisfaction = UNSET
        else:
            satisfaction = self.satisfaction

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "accepted": accepted,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if satisfaction is not UNSET:
            field_dict["satisfaction"] = satisfaction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accepted = d.pop("accepted")

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_satisfaction(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        satisfaction = _parse_satisfaction(d.pop("satisfaction", UNSET))

        customer_response_body = cls(
            accepted=accepted,
            comment=comment,
            satisfaction=satisfaction,
        )

        return customer_response_body
