from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ProcessSummary")


@_attrs_define
class ProcessSummary:
    """One search hit: identity, status and the crmflow search attributes.

    Attributes:
        closed_at (datetime.datetime | None):
        customer_id (None | str):
        manager_id (None | str):
        process_type (None | str):
        run_id (str):
        stage (None | str):
        started_at (datetime.datetime | None):
        status (str):
        type_ (str):
        workflow_id (str):
    """

    closed_at: datetime.datetime | None
    customer_id: None | str
    manager_id: None | str
    process_type: None | str
    run_id: str
    stage: None | str
    started_at: datetime.datetime | None
    status: str
    type_: str
    workflow_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        customer_id: None | str
        customer_id = self.customer_id

        manager_id: None | str
        manager_id = self.manager_id

        process_type: None | str
        process_type = self.process_type

        run_id = self.run_id

        stage: None | str
        stage = self.stage

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        status = self.status

        type_ = self.type_

        workflow_id = self.workflow_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "closed_at": closed_at,
                "customer_id": customer_id,
                "manager_id": manager_id,
                "process_type": process_type,
                "run_id": run_id,
                "stage": stage,
                "started_at": started_at,
                "status": status,
                "type": type_,
                "workflow_id": workflow_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        def _parse_manager_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        manager_id = _parse_manager_id(d.pop("manager_id"))

        def _parse_process_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        process_type = _parse_process_type(d.pop("process_type"))

        run_id = d.pop("run_id")

        def _parse_stage(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stage = _parse_stage(d.pop("stage"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        status = d.pop("status")

        type_ = d.pop("type")

        workflow_id = d.pop("workflow_id")

        process_summary = cls(
            closed_at=closed_at,
            customer_id=customer_id,
            manager_id=manager_id,
            process_type=process_type,
            run_id=run_id,
            stage=stage,
            started_at=started_at,
            status=status,
            type_=type_,
            workflow_id=workflow_id,
        )

        process_summary.additional_properties = d
        return process_summary

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
