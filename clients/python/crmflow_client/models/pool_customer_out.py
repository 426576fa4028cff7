from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PoolCustomerOut")


@_attrs_define
class PoolCustomerOut:
    """A customer in the public pool.

    Attributes:
        id (int):
        industry (str):
        name (str):
        region (str):
        status (str):
        tier (int):
        previous_owner_id (int | None | Unset):
        reclaimed_at (datetime.datetime | None | Unset):
        score (float | None | Unset):
    """

    id: int
    industry: str
    name: str
    region: str
    status: str
    tier: int
    previous_owner_id: int | None | Unset = UNSET
    reclaimed_at: datetime.datetime | None | Unset = UNSET
    score: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        industry = self.industry

        name = self.name

        region = self.region

        status = self.status

        tier = self.tier

        previous_owner_id: int | None | Unset
        if isinstance(self.previous_owner_id, Unset):
            previous_owner_id = UNSET
        else:
            previous_owner_id = self.previous_owner_id

        reclaimed_at: None | str | Unset
        if isinstance(self.reclaimed_at, Unset):
            reclaimed_at = UNSET
        elif isinstance(self.reclaimed_at, datetime.datetime):
            reclaimed_at = self.reclaimed_at.isoformat()
        else:
            reclaimed_at = self.reclaimed_at

        score: float | None | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        else:
            score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "industry": industry,
                "name": name,
                "region": region,
                "status": status,
                "tier": tier,
            }
        )
        if previous_owner_id is not UNSET:
            field_dict["previous_owner_id"] = previous_owner_id
        if reclaimed_at is not UNSET:
            field_dict["reclaimed_at"] = reclaimed_at
        if score is not UNSET:
            field_dict["score"] = score

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        industry = d.pop("industry")

        name = d.pop("name")

        region = d.pop("region")

        status = d.pop("status")

        tier = d.pop("tier")

        def _parse_previous_owner_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        previous_owner_id = _parse_previous_owner_id(d.pop("previous_owner_id", UNSET))

        def _parse_reclaimed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reclaimed_at_type_0 = datetime.datetime.fromisoformat(data)

                return reclaimed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        reclaimed_at = _parse_reclaimed_at(d.pop("reclaimed_at", UNSET))

        def _parse_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        score = _parse_score(d.pop("score", UNSET))

        pool_customer_out = cls(
            id=id,
            industry=industry,
            name=name,
            region=region,
            status=status,
            tier=tier,
            previous_owner_id=previous_owner_id,
            reclaimed_at=reclaimed_at,
            score=score,
        )

        pool_customer_out.additional_properties = d
        return pool_customer_out

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
