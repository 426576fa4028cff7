from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.complaint_out_severity import ComplaintOutSeverity
from ..models.complaint_out_stage import ComplaintOutStage
from ..models.complaint_out_status import ComplaintOutStatus

T = TypeVar("T", bound="ComplaintOut")


@_attrs_define
class ComplaintOut:
    """A complaint with its SLA deadlines, stage and outcomes; `status` and `stage` are the same value.

    Attributes:
        acknowledged_at (datetime.datetime | None):
        category (str):
        channel (str):
        close_reason (None | str):
        closed_at (datetime.datetime | None):
        compensation_amount (None | str):
        created_at (datetime.datetime):
        customer_id (int):
        definition_version (None | str):
        description (str):
        escalation_level (int):
        id (str):
        original_resolve_by (datetime.datetime | None):
        original_respond_by (datetime.datetime | None):
        owner_id (int | None):
        paused_seconds (float):
        process_id (None | str):
        reopen_count (int):
        resolution (None | str):
        resolution_seconds (float | None):
        resolve_by (datetime.datetime | None):
        resolved_at (datetime.datetime | None):
        respond_by (datetime.datetime | None):
        response_seconds (float | None):
        satisfaction (int | None):
        severity (ComplaintOutSeverity):
        sla_resolution_met (bool | None):
        sla_response_met (bool | None):
        stage (ComplaintOutStage):
        status (ComplaintOutStatus):
        updated_at (datetime.datetime):
    """

    acknowledged_at: datetime.datetime | None
    category: str
    channel: str
    close_reason: None | str
    closed_at: datetime.datetime | None
    compensation_amount: None | str
    created_at: datetime.datetime
    customer_id: int
    definition_version: None | str
    description: str
    escalation_level: int
    id: str
    original_resolve_by: datetime.datetime | None
    original_respond_by: datetime.datetime | None
    owner_id: int | None
    paused_seconds: float
    process_id: None | str
    reopen_count: int
    resolution: None | str
    resolution_seconds: float | None
    resolve_by: datetime.datetime | None
    resolved_at: datetime.datetime | None
    respond_by: datetime.datetime | None
    response_seconds: float | None
    satisfaction: int | None
    severity: ComplaintOutSeverity
    sla_resolution_met: bool | None
    sla_response_met: bool | None
    stage: ComplaintOutStage
    status: ComplaintOutStatus
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        acknowledged_at: None | str
        if isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        category = self.category

        channel = self.channel

        close_reason: None | str
        close_reason = self.close_reason

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        compensation_amount: None | str
        compensation_amount = self.compensation_amount

        created_at = self.created_at.isoformat()

        customer_id = self.customer_id

        definition_version: None | str
        definition_version = self.definition_version

        description = self.description

        escalation_level = self.escalation_level

        id = self.id

        original_resolve_by: None | str
        if isinstance(self.original_resolve_by, datetime.datetime):
            original_resolve_by = self.original_resolve_by.isoformat()
        else:
            original_resolve_by = self.original_resolve_by

        original_respond_by: None | str
        if isinstance(self.original_respond_by, datetime.datetime):
            original_respond_by = self.original_respond_by.isoformat()
        else:
            original_respond_by = self.original_respond_by

        owner_id: int | None
        owner_id = self.owner_id

        paused_seconds = self.paused_seconds

        process_id: None | str
        process_id = self.process_id

        reopen_count = self.reopen_count

        resolution: None | str
        resolution = self.resolution

        resolution_seconds: float | None
        resolution_seconds = self.resolution_seconds

        resolve_by: None | str
        if isinstance(self.resolve_by, datetime.datetime):
            resolve_by = self.resolve_by.isoformat()
        else:
            resolve_by = self.resolve_by

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        respond_by: None | str
        if isinstance(self.respond_by, datetime.datetime):
            respond_by = self.respond_by.isoformat()
        else:
            respond_by = self.respond_by

        response_seconds: float | None
        response_seconds = self.response_seconds

        satisfaction: int | None
        satisfaction = self.satisfaction

        severity = self.severity.value

        sla_resolution_met: bool | None
        sla_resolution_met = self.sla_resolution_met

        sla_response_met: bool | None
        sla_response_met = self.sla_response_met

        stage = self.stage.value

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acknowledged_at": acknowledged_at,
                "category": category,
                "channel": channel,
                "close_reason": close_reason,
                "closed_at": closed_at,
                "compensation_amount": compensation_amount,
                "created_at": created_at,
                "customer_id": customer_id,
                "definition_version": definition_version,
                "description": description,
                "escalation_level": escalation_level,
                "id": id,
                "original_resolve_by": original_resolve_by,
                "original_respond_by": original_respond_by,
                "owner_id": owner_id,
                "paused_seconds": paused_seconds,
                "process_id": process_id,
                "reopen_count": reopen_count,
                "resolution": resolution,
                "resolution_seconds": resolution_seconds,
                "resolve_by": resolve_by,
                "resolved_at": resolved_at,
                "respond_by": respond_by,
                "response_seconds": response_seconds,
                "satisfaction": satisfaction,
                "severity": severity,
                "sla_resolution_met": sla_resolution_met,
                "sla_response_met": sla_response_met,
                "stage": stage,
                "status": status,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_acknowledged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)

                return acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at"))

        category = d.pop("category")

        channel = d.pop("channel")

        def _parse_close_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        close_reason = _parse_close_reason(d.pop("close_reason"))

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

        def _parse_compensation_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        compensation_amount = _parse_compensation_amount(d.pop("compensation_amount"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        customer_id = d.pop("customer_id")

        def _parse_definition_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        definition_version = _parse_definition_version(d.pop("definition_version"))

        description = d.pop("description")

        escalation_level = d.pop("escalation_level")

        id = d.pop("id")

        def _parse_original_resolve_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                original_resolve_by_type_0 = datetime.datetime.fromisoformat(data)

                return original_resolve_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        original_resolve_by = _parse_original_resolve_by(d.pop("original_resolve_by"))

        def _parse_original_respond_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                original_respond_by_type_0 = datetime.datetime.fromisoformat(data)

                return original_respond_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        original_respond_by = _parse_original_respond_by(d.pop("original_respond_by"))

        def _parse_owner_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        owner_id = _parse_owner_id(d.pop("owner_id"))

        paused_seconds = d.pop("paused_seconds")

        def _parse_process_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        process_id = _parse_process_id(d.pop("process_id"))

        reopen_count = d.pop("reopen_count")

        def _parse_resolution(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolution = _parse_resolution(d.pop("resolution"))

        def _parse_resolution_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        resolution_seconds = _parse_resolution_seconds(d.pop("resolution_seconds"))

        def _parse_resolve_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolve_by_type_0 = datetime.datetime.fromisoformat(data)

                return resolve_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolve_by = _parse_resolve_by(d.pop("resolve_by"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        def _parse_respond_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                respond_by_type_0 = datetime.datetime.fromisoformat(data)

                return respond_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        respond_by = _parse_respond_by(d.pop("respond_by"))

        def _parse_response_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        response_seconds = _parse_response_seconds(d.pop("response_seconds"))

        def _parse_satisfaction(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        satisfaction = _parse_satisfaction(d.pop("satisfaction"))

        severity = ComplaintOutSeverity(d.pop("severity"))

        def _parse_sla_resolution_met(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        sla_resolution_met = _parse_sla_resolution_met(d.pop("sla_resolution_met"))

        def _parse_sla_response_met(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        sla_response_met = _parse_sla_response_met(d.pop("sla_response_met"))

        stage = ComplaintOutStage(d.pop("stage"))

        status = ComplaintOutStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        complaint_out = cls(
            acknowledged_at=acknowledged_at,
            category=category,
            channel=channel,
            close_reason=close_reason,
            closed_at=closed_at,
            compensation_amount=compensation_amount,
            created_at=created_at,
            customer_id=customer_id,
            definition_version=definition_version,
            description=description,
            escalation_level=escalation_level,
            id=id,
            original_resolve_by=original_resolve_by,
            original_respond_by=original_respond_by,
            owner_id=owner_id,
            paused_seconds=paused_seconds,
            process_id=process_id,
            reopen_count=reopen_count,
            resolution=resolution,
            resolution_seconds=resolution_seconds,
            resolve_by=resolve_by,
            resolved_at=resolved_at,
            respond_by=respond_by,
            response_seconds=response_seconds,
            satisfaction=satisfaction,
            severity=severity,
            sla_resolution_met=sla_resolution_met,
            sla_response_met=sla_response_met,
            stage=stage,
            status=status,
            updated_at=updated_at,
        )

        complaint_out.additional_properties = d
        return complaint_out

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
