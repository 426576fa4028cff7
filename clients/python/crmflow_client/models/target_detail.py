from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.check_in_out import CheckInOut
    from ..models.metric_out import MetricOut
    from ..models.progress_out import ProgressOut
    from ..models.target_detail_agreed_values_type_0 import TargetDetailAgreedValuesType0
    from ..models.target_detail_values import TargetDetailValues
    from ..models.target_version_out import TargetVersionOut
    from ..models.task_out import TaskOut


T = TypeVar("T", bound="TargetDetail")


@_attrs_define
class TargetDetail:
    """
    Attributes:
        agreed_at (datetime.datetime | None):
        agreed_values (None | TargetDetailAgreedValuesType0):
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
        checkins (list[CheckInOut] | Unset):
        may (list[str] | Unset):
        metric_info (list[MetricOut] | Unset):
        pending_change (None | str | Unset):
        progress (list[ProgressOut] | Unset):
        staff_name (None | str | Unset):
        tasks (list[TaskOut] | Unset):
        values (TargetDetailValues | Unset):
        versions (list[TargetVersionOut] | Unset):
    """

    agreed_at: datetime.datetime | None
    agreed_values: None | TargetDetailAgreedValuesType0
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
    checkins: list[CheckInOut] | Unset = UNSET
    may: list[str] | Unset = UNSET
    metric_info: list[MetricOut] | Unset = UNSET
    pending_change: None | str | Unset = UNSET
    progress: list[ProgressOut] | Unset = UNSET
    staff_name: None | str | Unset = UNSET
    tasks: list[TaskOut] | Unset = UNSET
    values: TargetDetailValues | Unset = UNSET
    versions: list[TargetVersionOut] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.target_detail_agreed_values_type_0 import TargetDetailAgreedValuesType0  # noqa: PLC0415

        agreed_at: None | str
        if isinstance(self.agreed_at, datetime.datetime):
            agreed_at = self.agreed_at.isoformat()
        else:
            agreed_at = self.agreed_at

        agreed_values: dict[str, Any] | None
        if isinstance(self.agreed_values, TargetDetailAgreedValuesType0):
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

        checkins: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.checkins, Unset):
            checkins = []
            for checkins_item_data in self.checkins:
                checkins_item = checkins_item_data.to_dict()
                checkins.append(checkins_item)

        may: list[str] | Unset = UNSET
        if not isinstance(self.may, Unset):
            may = self.may

        metric_info: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.metric_info, Unset):
            metric_info = []
            for metric_info_item_data in self.metric_info:
                metric_info_item = metric_info_item_data.to_dict()
                metric_info.append(metric_info_item)

        pending_change: None | str | Unset
        if isinstance(self.pending_change, Unset):
            pending_change = UNSET
        else:
            pending_change = self.pending_change

        progress: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.progress, Unset):
            progress = []
            for progress_item_data in self.progress:
                progress_item = progress_item_data.to_dict()
                progress.append(progress_item)

        staff_name: None | str | Unset
        if isinstance(self.staff_name, Unset):
            staff_name = UNSET
        else:
            staff_name = self.staff_name

        tasks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tasks, Unset):
            tasks = []
            for tasks_item_data in self.tasks:
                tasks_item = tasks_item_data.to_dict()
                tasks.append(tasks_item)

        values: dict[str, Any] | Unset = UNSET
        if not isinstance(self.values, Unset):
            values = self.values.to_dict()

        versions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.versions, Unset):
            versions = []
            for versions_item_data in self.versions:
                versions_item = versions_item_data.to_dict()
                versions.append(versions_item)

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
        if checkins is not UNSET:
            field_dict["checkins"] = checkins
        if may is not UNSET:
            field_dict["may"] = may
        if metric_info is not UNSET:
            field_dict["metric_info"] = metric_info
        if pending_change is not UNSET:
            field_dict["pending_change"] = pending_change
        if progress is not UNSET:
            field_dict["progress"] = progress
        if staff_name is not UNSET:
            field_dict["staff_name"] = staff_name
        if tasks is not UNSET:
            field_dict["tasks"] = tasks
        if values is not UNSET:
            field_dict["values"] = values
        if versions is not UNSET:
            field_dict["versions"] = versions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.check_in_out import CheckInOut  # noqa: PLC0415
        from ..models.metric_out import MetricOut  # noqa: PLC0415
        from ..models.progress_out import ProgressOut  # noqa: PLC0415
        from ..models.target_detail_agreed_values_type_0 import TargetDetailAgreedValuesType0  # noqa: PLC0415
        from ..models.target_detail_values import TargetDetailValues  # noqa: PLC0415
        from ..models.target_version_out import TargetVersionOut  # noqa: PLC0415
        from ..models.task_out import TaskOut  # noqa: PLC0415

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

        def _parse_agreed_values(data: object) -> None | TargetDetailAgreedValuesType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                agreed_values_type_0 = TargetDetailAgreedValuesType0.from_dict(data)

                return agreed_values_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TargetDetailAgreedValuesType0, data)

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

        _checkins = d.pop("checkins", UNSET)
        checkins: list[CheckInOut] | Unset = UNSET
        if _checkins is not UNSET:
            checkins = []
            for checkins_item_data in _checkins:
                checkins_item = CheckInOut.from_dict(checkins_item_data)

                checkins.append(checkins_item)

        may = cast(list[str], d.pop("may", UNSET))

        _metric_info = d.pop("metric_info", UNSET)
        metric_info: list[MetricOut] | Unset = UNSET
        if _metric_info is not UNSET:
            metric_info = []
            for metric_info_item_data in _metric_info:
                metric_info_item = MetricOut.from_dict(metric_info_item_data)

                metric_info.append(metric_info_item)

        def _parse_pending_change(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pending_change = _parse_pending_change(d.pop("pending_change", UNSET))

        _progress = d.pop("progress", UNSET)
        progress: list[ProgressOut] | Unset = UNSET
        if _progress is not UNSET:
            progress = []
            for progress_item_data in _progress:
                progress_item = ProgressOut.from_dict(progress_item_data)

                progress.append(progress_item)

        def _parse_staff_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        staff_name = _parse_staff_name(d.pop("staff_name", UNSET))

        _tasks = d.pop("tasks", UNSET)
        tasks: list[TaskOut] | Unset = UNSET
        if _tasks is not UNSET:
            tasks = []
            for tasks_item_data in _tasks:
                tasks_item = TaskOut.from_dict(tasks_item_data)

                tasks.append(tasks_item)

        _values = d.pop("values", UNSET)
        values: TargetDetailValues | Unset
        if isinstance(_values, Unset):
            values = UNSET
        else:
            values = TargetDetailValues.from_dict(_values)

        _versions = d.pop("versions", UNSET)
        versions: list[TargetVersionOut] | Unset = UNSET
        if _versions is not UNSET:
            versions = []
            for versions_item_data in _versions:
                versions_item = TargetVersionOut.from_dict(versions_item_data)

                versions.append(versions_item)

        target_detail = cls(
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
            checkins=checkins,
            may=may,
            metric_info=metric_info,
            pending_change=pending_change,
            progress=progress,
            staff_name=staff_name,
            tasks=tasks,
            values=values,
            versions=versions,
        )

        target_detail.additional_properties = d
        return target_detail

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
