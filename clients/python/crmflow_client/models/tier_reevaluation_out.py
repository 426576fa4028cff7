from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tier_reevaluation_out_outcome import TierReevaluationOutOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="TierReevaluationOut")


@_attrs_define
class TierReevaluationOut:
    """202 answer of POST /v1/customers/{id}/tier-reevaluations.

    Attributes:
        current_tier (int):
        customer_id (int):
        outcome (TierReevaluationOutOutcome):
        process_id (str):
        score (float | None):
        target_tier (int):
        cooldown_until (None | str | Unset):
        tier_change_process_id (None | str | Unset):
    """

    current_tier: int
    customer_id: int
    outcome: TierReevaluationOutOutcome
    process_id: str
    score: float | None
    target_tier: int
    cooldown_until: None | str | Unset = UNSET
    tier_change_process_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current_tier = self.current_tier

        customer_id = self.customer_id

        outcome = self.outcome.value

        process_id = self.process_id

        score: float | None
        score = self.score

        target_tier = self.target_tier

        cooldown_until: None | str | Unset
        if isinstance(self.cooldown_until, Unset):
            cooldown_until = UNSET
        else:
            cooldown_until = self.cooldown_until

        tier_change_process_id: None | str | Unset
        if isinstance(self.tier_change_process_id, Unset):
            tier_change_process_id = UNSET
        else:
            tier_change_process_id = self.tier_change_process_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current_tier": current_tier,
                "customer_id": customer_id,
                "outcome": outcome,
                "process_id": process_id,
                "score": score,
                "target_tier": target_tier,
            }
        )
        if cooldown_until is not UNSET:
            field_dict["cooldown_until"] = cooldown_until
        if tier_change_process_id is not UNSET:
            field_dict["tier_change_process_id"] = tier_change_process_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        current_tier = d.pop("current_tier")

        customer_id = d.pop("customer_id")

        outcome = TierReevaluationOutOutcome(d.pop("outcome"))

        process_id = d.pop("process_id")

        def _parse_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        score = _parse_score(d.pop("score"))

        target_tier = d.pop("target_tier")

        def _parse_cooldown_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cooldown_until = _parse_cooldown_until(d.pop("cooldown_until", UNSET))

        def _parse_tier_change_process_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier_change_process_id = _parse_tier_change_process_id(d.pop("tier_change_process_id", UNSET))

        tier_reevaluation_out = cls(
            current_tier=current_tier,
            customer_id=customer_id,
            outcome=outcome,
            process_id=process_id,
            score=score,
            target_tier=target_tier,
            cooldown_until=cooldown_until,
            tier_change_process_id=tier_change_process_id,
        )

        tier_reevaluation_out.additional_properties = d
        return tier_reevaluation_out

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
