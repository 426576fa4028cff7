from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.process_out_search_attributes import ProcessOutSearchAttributes
    from ..models.process_out_state_type_0 import ProcessOutStateType0


T = TypeVar("T", bound="ProcessOut")


@_attrs_define
class ProcessOut:
    """One process: its search hit, every crmflow search attribute and the workflow's own state.

    Attributes:
        closed_at (datetime.datetime | None):
        customer_id (None | str):
        history_length (int):
        manager_id (None | str):
        process_type (None | str):
        run_id (str):
        search_attributes (ProcessOutSearchAttributes):
        stage (None | str):
        started_at (datetime.datetime | None):
        state (None | ProcessOutStateType0):
        status (str):
        type_ (str):
        workflow_id (str):
    """

    closed_at: datetime.datetime | None
    customer_id: None | str
    history_length: int
    manager_id: None | str
    process_type: None | str
    run_id: str
    search_attributes: ProcessOutSearchAttributes
    stage: None | str
    started_at: datetime.datetime | None
    state: None | ProcessOutStateType0
    status: str
    type_: str
    workflow_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.process_out_state_type_0 import ProcessOutStateType0  # noqa: PLC0415

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        customer_id: None | str
        customer_id = self.customer_id

        history_length = self.history_length

        manager_id: None | str
        manager_id = self.manager_id

        process_type: None | str
        process_type = self.process_type

        run_id = self.run_id

        search_attributes = self.search_attributes.to_dict()

        stage: None | str
        stage = self.stage

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        state: dict[str, Any] | None
        if isinstance(self.state, ProcessOutStateType0):
            state = self.state.to_dict()
        else:
            state = self.state

        status = self.status

        type_ = self.type_

        workflow_id = self.workflow_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "closed_at": closed_at,
                "customer_id": customer_id,
                "history_length": history_length,
                "manager_id": manager_id,
                "process_type": process_type,
                "run_id": run_id,
                "search_attributes": search_attributes,
                "stage": stage,
                "started_at": started_at,
                "state": state,
                "status": status,
                "type": type_,
                "workflow_id": workflow_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.process_out_search_attributes import ProcessOutSearchAttributes  # noqa: PLC0415
        from ..models.process_out_state_type_0 import ProcessOutStateType0  # noqa: PLC0415

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

        history_length = d.pop("history_length")

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

        search_attributes = ProcessOutSearchAttributes.from_dict(d.pop("search_attributes"))

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

        def _parse_state(data: object) -> None | ProcessOutStateType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                state_type_0 = ProcessOutStateType0.from_dict(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessOutStateType0, data)

        state = _parse_state(d.pop("state"))

        status = d.pop("status")

        type_ = d.pop("type")

        workflow_id = d.pop("workflow_id")

        process_out = cls(
            closed_at=closed_at,
            customer_id=customer_id,
            history_length=history_length,
            manager_id=manager_id,
            process_type=process_type,
            run_id=run_id,
            search_attributes=search_attributes,
            stage=stage,
            started_at=started_at,
            state=state,
            status=status,
            type_=type_,
            workflow_id=workflow_id,
        )

        process_out.additional_properties = d
        return process_out

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
