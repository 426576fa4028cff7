from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerCreate")


@_attrs_define
class CustomerCreate:
    """POST /v1/customers: onboard a customer.

    Attributes:
        name (str):
        region (str):
        declared_annual_value (float | str | Unset):  Default: 0.0.
        external_ref (None | str | Unset):
        industry (str | Unset):  Default: ''.
    """

    name: str
    region: str
    declared_annual_value: float | str | Unset = 0.0
    external_ref: None | str | Unset = UNSET
    industry: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        region = self.region

        declared_annual_value: float | str | Unset
        if isinstance(self.declared_annual_value, Unset):
            declared_annual_value = UNSET
        else:
            declared_annual_value = self.declared_annual_value

        external_ref: None | str | Unset
        if isinstance(self.external_ref, Unset):
            external_ref = UNSET
        else:
            external_ref = self.external_ref

        industry = self.industry

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "region": region,
            }
        )
        if declared_annual_value is not UNSET:
            field_dict["declared_annual_value"] = declared_annual_value
        if external_ref is not UNSET:
            field_dict["external_ref"] = external_ref
        if industry is not UNSET:
            field_dict["industry"] = industry

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        region = d.pop("region")

        def _parse_declared_annual_value(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        declared_annual_value = _parse_declared_annual_value(d.pop("declared_annual_value", UNSET))

        def _parse_external_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_ref = _parse_external_ref(d.pop("external_ref", UNSET))

        industry = d.pop("industry", UNSET)

        customer_create = cls(
            name=name,
            region=region,
            declared_annual_value=declared_annual_value,
            external_ref=external_ref,
            industry=industry,
        )

        return customer_create
