from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.complaint_create_severity import ComplaintCreateSeverity

T = TypeVar("T", bound="ComplaintCreate")


@_attrs_define
class ComplaintCreate:
    """POST /v1/complaints.

    Attributes:
        category (str):
        channel (str):
        customer_id (int):
        description (str):
        severity (ComplaintCreateSeverity):
    """

    category: str
    channel: str
    customer_id: int
    description: str
    severity: ComplaintCreateSeverity

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        channel = self.channel

        customer_id = self.customer_id

        description = self.description

        severity = self.severity.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
                "channel": channel,
                "customer_id": customer_id,
                "description": description,
                "severity": severity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = d.pop("category")

        channel = d.pop("channel")

        customer_id = d.pop("customer_id")

        description = d.pop("description")

        severity = ComplaintCreateSeverity(d.pop("severity"))

        complaint_create = cls(
            category=category,
            channel=channel,
            customer_id=customer_id,
            description=description,
            severity=severity,
        )

        return complaint_create
