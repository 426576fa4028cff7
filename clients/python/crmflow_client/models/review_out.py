from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plan_item_out import PlanItemOut
    from ..models.review_out_kpis_type_0 import ReviewOutKpisType0
    from ..models.review_out_self_assessment_type_0 import ReviewOutSelfAssessmentType0


T = TypeVar("T", bound="ReviewOut")


@_attrs_define
class ReviewOut:
    """
    Attributes:
        at_risk_customer_ids (list[int] | None):
        comment (None | str):
        completed_at (datetime.datetime | None):
        created_at (datetime.datetime):
        cycle_id (int):
        decided_by (int | None):
        id (int):
        kpis (None | ReviewOutKpisType0):
        manager_id (int):
        period (str):
        rating (int | None):
        rework_rounds (int):
        self_assessment (None | ReviewOutSelfAssessmentType0):
        stage (str):
        status (str):
        supervisor_id (int | None):
        workflow_id (str):
        plan (list[PlanItemOut] | Unset):
        previous_plan (list[PlanItemOut] | Unset):
    """

    at_risk_customer_ids: list[int] | None
    comment: None | str
    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    cycle_id: int
    decided_by: int | None
    id: int
    kpis: None | ReviewOutKpisType0
    manager_id: int
    period: str
    rating: int | None
    rework_rounds: int
    self_assessment: None | ReviewOutSelfAssessmentType0
    stage: str
    status: str
    supervisor_id: int | None
    workflow_id: str
    plan: list[PlanItemOut] | Unset = UNSET
    previous_plan: list[PlanItemOut] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.review_out_kpis_type_0 import ReviewOutKpisType0  # noqa: PLC0415
        from ..models.review_out_self_assessment_type_0 import ReviewOutSelfAssessmentType0  # noqa: PLC0415

        at_risk_customer_ids: list[int] | None
        if isinstance(self.at_risk_customer_ids, list):
            at_risk_customer_ids = self.at_risk_customer_ids

        else:
            at_risk_customer_ids = self.at_risk_customer_ids

        comment: None | str
        comment = self.comment

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        created_at = self.created_at.isoformat()

        cycle_id = self.cycle_id

        decided_by: int | None
        decided_by = self.decided_by

        id = self.id

        kpis: dict[str, Any] | None
        if isinstance(self.kpis, ReviewOutKpisType0):
            kpis = self.kpis.to_dict()
        else:
            kpis = self.kpis

        manager_id = self.manager_id

        period = self.period

        rating: int | None
        rating = self.rating

        rework_rounds = self.rework_rounds

        self_assessment: dict[str, Any] | None
        if isinstance(self.self_assessment, ReviewOutSelfAssessmentType0):
            self_assessment = self.self_assessment.to_dict()
        else:
            self_assessment = self.self_assessment

        stage = self.stage

        status = self.status

        supervisor_id: int | None
        supervisor_id = self.supervisor_id

        workflow_id = self.workflow_id

        plan: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.plan, Unset):
            plan = []
            for plan_item_data in self.plan:
                plan_item = plan_item_data.to_dict()
                plan.append(plan_item)

        previous_plan: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.previous_plan, Unset):
            previous_plan = []
            for previous_plan_item_data in self.previous_plan:
                previous_plan_item = previous_plan_item_data.to_dict()
                previous_plan.append(previous_plan_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at_risk_customer_ids": at_risk_customer_ids,
                "comment": comment,
                "completed_at": completed_at,
                "created_at": created_at,
                "cycle_id": cycle_id,
                "decided_by": decided_by,
                "id": id,
                "kpis": kpis,
                "manager_id": manager_id,
                "period": period,
                "rating": rating,
                "rework_rounds": rework_rounds,
                "self_assessment": self_assessment,
                "stage": stage,
                "status": status,
                "supervisor_id": supervisor_id,
                "workflow_id": workflow_id,
            }
        )
        if plan is not UNSET:
            field_dict["plan"] = plan
        if previous_plan is not UNSET:
            field_dict["previous_plan"] = previous_plan

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_item_out import PlanItemOut  # noqa: PLC0415
        from ..models.review_out_kpis_type_0 import ReviewOutKpisType0  # noqa: PLC0415
        from ..models.review_out_self_assessment_type_0 import ReviewOutSelfAssessmentType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_at_risk_customer_ids(data: object) -> list[int] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                at_risk_customer_ids_type_0 = cast(list[int], data)

                return at_risk_customer_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None, data)

        at_risk_customer_ids = _parse_at_risk_customer_ids(d.pop("at_risk_customer_ids"))

        def _parse_comment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        comment = _parse_comment(d.pop("comment"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        cycle_id = d.pop("cycle_id")

        def _parse_decided_by(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        decided_by = _parse_decided_by(d.pop("decided_by"))

        id = d.pop("id")

        def _parse_kpis(data: object) -> None | ReviewOutKpisType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                kpis_type_0 = ReviewOutKpisType0.from_dict(data)

                return kpis_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReviewOutKpisType0, data)

        kpis = _parse_kpis(d.pop("kpis"))

        manager_id = d.pop("manager_id")

        period = d.pop("period")

        def _parse_rating(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rating = _parse_rating(d.pop("rating"))

        rework_rounds = d.pop("rework_rounds")

        def _parse_self_assessment(data: object) -> None | ReviewOutSelfAssessmentType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                self_assessment_type_0 = ReviewOutSelfAssessmentType0.from_dict(data)

                return self_assessment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReviewOutSelfAssessmentType0, data)

        self_assessment = _parse_self_assessment(d.pop("self_assessment"))

        stage = d.pop("stage")

        status = d.pop("status")

        def _parse_supervisor_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        supervisor_id = _parse_supervisor_id(d.pop("supervisor_id"))

        workflow_id = d.pop("workflow_id")

        _plan = d.pop("plan", UNSET)
        plan: list[PlanItemOut] | Unset = UNSET
        if _plan is not UNSET:
            plan = []
            for plan_item_data in _plan:
                plan_item = PlanItemOut.from_dict(plan_item_data)

                plan.append(plan_item)

        _previous_plan = d.pop("previous_plan", UNSET)
        previous_plan: list[PlanItemOut] | Unset = UNSET
        if _previous_plan is not UNSET:
            previous_plan = []
            for previous_plan_item_data in _previous_plan:
                previous_plan_item = PlanItemOut.from_dict(previous_plan_item_data)

                previous_plan.append(previous_plan_item)

        review_out = cls(
            at_risk_customer_ids=at_risk_customer_ids,
            comment=comment,
            completed_at=completed_at,
            created_at=created_at,
            cycle_id=cycle_id,
            decided_by=decided_by,
            id=id,
            kpis=kpis,
            manager_id=manager_id,
            period=period,
            rating=rating,
            rework_rounds=rework_rounds,
            self_assessment=self_assessment,
            stage=stage,
            status=status,
            supervisor_id=supervisor_id,
            workflow_id=workflow_id,
            plan=plan,
            previous_plan=previous_plan,
        )

        review_out.additional_properties = d
        return review_out

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
