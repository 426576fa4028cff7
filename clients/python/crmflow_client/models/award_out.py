from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AwardOut")


@_attrs_define
class AwardOut:
    """An award as lists show it, with where its appeal stands.

    Attributes:
        amount (str):
        appeal_id (None | str):
        appeal_outcome (None | str):
        appeal_status (None | str):
        computed_at (datetime.datetime):
        currency (str):
        gated (bool):
        id (int):
        manager_id (int):
        manager_name (str):
        period (str):
        rule_version (str):
        supervisor_id (int | None):
        total_points (float):
    """

    amount: str
    appeal_id: None | str
    appeal_outcome: None | str
    appeal_status: None | str
    computed_at: datetime.datetime
    currency: str
    gated: bool
    id: int
    manager_id: int
    manager_name: str
    period: str
    rule_version: str
    supervisor_id: int | None
    total_points: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        appeal_id: None | str
        appeal_id = self.appeal_id

        appeal_outcome: None | str
        appeal_outcome = self.appeal_outcome

        appeal_status: None | str
        appeal_status = self.appeal_status

        computed_at = self.computed_at.isoformat()

        currency = self.currency

        gated = self.gated

        id = self.id

        manager_id = self.manager_id

        manager_name = self.manager_name

        period = self.period

        rule_version = self.rule_version

        supervisor_id: int | None
        supervisor_id = self.supervisor_id

        total_points = self.total_points

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "appeal_id": appeal_id,
                "appeal_outcome": appeal_outcome,
                "appeal_status": appeal_status,
                "computed_at": computed_at,
                "currency": currency,
                "gated": gated,
                "id": id,
                "manager_id": manager_id,
                "manager_name": manager_name,
                "period": period,
                "rule_version": rule_version,
                "supervisor_id": supervisor_id,
                "total_points": total_points,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_appeal_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appeal_id = _parse_appeal_id(d.pop("appeal_id"))

        def _parse_appeal_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appeal_outcome = _parse_appeal_outcome(d.pop("appeal_outcome"))

        def _parse_appeal_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appeal_status = _parse_appeal_status(d.pop("appeal_status"))

        computed_at = datetime.datetime.fromisoformat(d.pop("computed_at"))

        currency = d.pop("currency")

        gated = d.pop("gated")

        id = d.pop("id")

        manager_id = d.pop("manager_id")

        manager_name = d.pop("manager_name")

        period = d.pop("period")

        rule_version = d.pop("rule_version")

        def _parse_supervisor_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        supervisor_id = _parse_supervisor_id(d.pop("supervisor_id"))

        total_points = d.pop("total_points")

        award_out = cls(
            amount=amount,
            appeal_id=appeal_id,
            appeal_outcome=appeal_outcome,
            appeal_status=appeal_status,
            computed_at=computed_at,
            currency=currency,
            gated=gated,
            id=id,
            manager_id=manager_id,
            manager_name=manager_name,
            period=period,
            rule_version=rule_version,
            supervisor_id=supervisor_id,
            total_points=total_points,
        )

        award_out.additional_properties = d
        return award_out

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
