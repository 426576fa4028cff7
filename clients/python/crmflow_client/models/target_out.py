from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.target_out_agreed_values_type_0 import TargetOutAgreedValuesType0


T = TypeVar("T", bound="TargetOut")


@_attrs_define
class TargetOut:
    """
    Attributes:
        agreed_at (datetime.datetime | None):
        agreed_values (None | TargetOutAgreedValuesType0):
        agreed_version (int | None):
        counter_rounds (int):
        current_version (int):
        deadline_at (datetime.datetime | None):
        director_id (int | None):
        id (int):
        metrics (list[str]):
        period (str):
        period_end (datetime.datetime):
        period_start (datetime.datetime):
        staff_id (int):
        status (str):
        supervisor_id (int | None):
        turn (None | str):
        workflow_id (str):
        staff_name (None | str | Unset):
    """

    agreed_at: datetime.datetime | None
    agreed_values: None | TargetOutAgreedValuesType0
    agreed_version: int | None
    counter_rounds: int
    current_version: int
    deadline_at: datetime.datetime | None
    director_id: int | None
    id: int
    metrics: list[str]
    period: str
    period_end: datetime.datetime
    period_start: datetime.datetime
    staff_id: int
    status: str
    supervisor_id: int | None
    turn: None | str
    workflow_id: str
    staff_name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.target_out_agreed_values_type_0 import TargetOutAgreedValuesType0  # noqa: PLC0415

        agreed_at: None | str
        if isinstance(self.agreed_at, datetime.datetime):
            agreed_at = self.agreed_at.isoformat()
        else:
            agreed_at = self.agreed_at

        agreed_values: dict[str, Any] | None
        if isinstance(self.agreed_values, TargetOutAgreedValuesType0):
            agreed_values = self.agreed_values.to_dict()
        else:
            agreed_values = self.agreed_values

        agreed_version: int | None
        agreed_version = self.agreed_version

        counter_rounds = self.counter_rounds

        current_version = self.current_version

        deadline_at: None | str
        if isinstance(self.deadline_at, datetime.datetime):
            deadline_at = self.deadline_at.isoformat()
        else:
            deadline_at = self.deadline_at

        director_id: int | None
        director_id = self.director_id

        id = self.id

        metrics = self.metrics

        period = self.period

        period_end = self.period_end.isoformat()

        period_start = self.period_start.isoformat()

        staff_id = self.staff_id

        status = self.status

        supervisor_id: int | None
        supervisor_id = self.supervisor_id

        turn: None | str
        turn = self.turn

        workflow_id = self.workflow_id

        staff_name: None | str | Unset
        if isinstance(self.staff_name, Unset):
            staff_name = UNSET
        else:
            staff_name = self.staff_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreed_at": agreed_at,
                "agreed_values": agreed_values,
                "agreed_version": agreed_version,
                "counter_rounds": counter_rounds,
                "current_version": current_version,
                "deadline_at": deadline_at,
                "director_id": director_id,
                "id": id,
                "metrics": metrics,
                "period": period,
                "period_end": period_end,
                "period_start": period_start,
                "staff_id": staff_id,
                "status": status,
                "supervisor_id": supervisor_id,
                "turn": turn,
                "workflow_id": workflow_id,
            }
        )
        if staff_name is not UNSET:
            field_dict["staff_name"] = staff_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.target_out_agreed_values_type_0 import TargetOutAgreedValuesType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_agreed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                agreed_at_type_0 = datetime.datetime.fromisoformat(data)

                return agreed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        agreed_at = _parse_agreed_at(d.pop("agreed_at"))

        def _parse_agreed_values(data: object) -> None | TargetOutAgreedValuesType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                agreed_values_type_0 = TargetOutAgreedValuesType0.from_dict(data)

                return agreed_values_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TargetOutAgreedValuesType0, data)

        agreed_values = _parse_agreed_values(d.pop("agreed_values"))

        def _parse_agreed_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        agreed_version = _parse_agreed_version(d.pop("agreed_version"))

        counter_rounds = d.pop("counter_rounds")

        current_version = d.pop("current_version")

        def _parse_deadline_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deadline_at_type_0 = datetime.datetime.fromisoformat(data)

                return deadline_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deadline_at = _parse_deadline_at(d.pop("deadline_at"))

        def _parse_director_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        director_id = _parse_director_id(d.pop("director_id"))

        id = d.pop("id")

        metrics = cast(list[str], d.pop("metrics"))

        period = d.pop("period")

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        staff_id = d.pop("staff_id")

        status = d.pop("status")

        def _parse_supervisor_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        supervisor_id = _parse_supervisor_id(d.pop("supervisor_id"))

        def _parse_turn(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        turn = _parse_turn(d.pop("turn"))

        workflow_id = d.pop("workflow_id")

        def _parse_staff_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        staff_name = _parse_staff_name(d.pop("staff_name", UNSET))

        target_out = cls(
            agreed_at=agreed_at,
            agreed_values=agreed_values,
            agreed_version=agreed_version,
            counter_rounds=counter_rounds,
            current_version=current_version,
            deadline_at=deadline_at,
            director_id=director_id,
            id=id,
            metrics=metrics,
            period=period,
            period_end=period_end,
            period_start=period_start,
            staff_id=staff_id,
            status=status,
            supervisor_id=supervisor_id,
            turn=turn,
            workflow_id=workflow_id,
            staff_name=staff_name,
        )

        target_out.additional_properties = d
        return target_out

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
