from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.review_decision_body_decision import ReviewDecisionBodyDecision
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plan_item import PlanItem


T = TypeVar("T", bound="ReviewDecisionBody")


@_attrs_define
class ReviewDecisionBody:
    """The supervisor's decision on a review: approve with a rating (1–5) and a comment, or reject for rework.

    Attributes:
        decision (ReviewDecisionBodyDecision):
        comment (None | str | Unset):
        plan (list[PlanItem] | None | Unset): approve: an improvement plan of 1–3 items (a KPI catalogue metric,
            baseline, target, due date)
        rating (int | None | Unset): approve: 1 (poor) to 5 (excellent)
    """

    decision: ReviewDecisionBodyDecision
    comment: None | str | Unset = UNSET
    plan: list[PlanItem] | None | Unset = UNSET
    rating: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        plan: list[dict[str, Any]] | None | Unset
        if isinstance(self.plan, Unset):
            plan = UNSET
        elif isinstance(self.plan, list):
            plan = []
            for plan_type_0_item_data in self.plan:
                plan_type_0_item = plan_type_0_item_data.to_dict()
                plan.append(plan_type_0_item)

        else:
            plan = self.plan

        rating: int | None | Unset
        if isinstance(self.rating, Unset):
            rating = UNSET
        else:
            rating = self.rating

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if plan is not UNSET:
            field_dict["plan"] = plan
        if rating is not UNSET:
            field_dict["rating"] = rating

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_item import PlanItem  # noqa: PLC0415

        d = dict(src_dict)
        decision = ReviewDecisionBodyDecision(d.pop("decision"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_plan(data: object) -> list[PlanItem] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                plan_type_0 = []
                _plan_type_0 = data
                for plan_type_0_item_data in _plan_type_0:
                    plan_type_0_item = PlanItem.from_dict(plan_type_0_item_data)

                    plan_type_0.append(plan_type_0_item)

                return plan_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PlanItem] | None | Unset, data)

        plan = _parse_plan(d.pop("plan", UNSET))

        def _parse_rating(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rating = _parse_rating(d.pop("rating", UNSET))

        review_decision_body = cls(
            decision=decision,
            comment=comment,
            plan=plan,
            rating=rating,
        )

        return review_decision_body
