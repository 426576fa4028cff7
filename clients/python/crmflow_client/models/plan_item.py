from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PlanItem")


@_attrs_define
class PlanItem:
    """One improvement-plan item: a KPI catalogue metric from a baseline to a target by a due date.

    Attributes:
        baseline (float):
        due_on (datetime.date):
        metric (str):
        target (float):
    """

    baseline: float
    due_on: datetime.date
    metric: str
    target: float

    def to_dict(self) -> dict[str, Any]:
        baseline = self.baseline

        due_on = self.due_on.isoformat()

        metric = self.metric

        target = self.target

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "baseline": baseline,
                "due_on": due_on,
                "metric": metric,
                "target": target,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        baseline = d.pop("baseline")

        due_on = datetime.date.fromisoformat(d.pop("due_on"))

        metric = d.pop("metric")

        target = d.pop("target")

        plan_item = cls(
            baseline=baseline,
            due_on=due_on,
            metric=metric,
            target=target,
        )

        return plan_item
