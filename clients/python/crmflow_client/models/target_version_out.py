from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.target_version_out_values import TargetVersionOutValues


T = TypeVar("T", bound="TargetVersionOut")


@_attrs_define
class TargetVersionOut:
    """
    Attributes:
        actor (str):
        approval_id (None | str):
        author_id (int | None):
        created_at (datetime.datetime):
        kind (str):
        reason (None | str):
        status (str):
        values (TargetVersionOutValues):
        version (int):
    """

    actor: str
    approval_id: None | str
    author_id: int | None
    created_at: datetime.datetime
    kind: str
    reason: None | str
    status: str
    values: TargetVersionOutValues
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor

        approval_id: None | str
        approval_id = self.approval_id

        author_id: int | None
        author_id = self.author_id

        created_at = self.created_at.isoformat()

        kind = self.kind

        reason: None | str
        reason = self.reason

        status = self.status

        values = self.values.to_dict()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "approval_id": approval_id,
                "author_id": author_id,
                "created_at": created_at,
                "kind": kind,
                "reason": reason,
                "status": status,
                "values": values,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.target_version_out_values import TargetVersionOutValues  # noqa: PLC0415

        d = dict(src_dict)
        actor = d.pop("actor")

        def _parse_approval_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        approval_id = _parse_approval_id(d.pop("approval_id"))

        def _parse_author_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        author_id = _parse_author_id(d.pop("author_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        kind = d.pop("kind")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        status = d.pop("status")

        values = TargetVersionOutValues.from_dict(d.pop("values"))

        version = d.pop("version")

        target_version_out = cls(
            actor=actor,
            approval_id=approval_id,
            author_id=author_id,
            created_at=created_at,
            kind=kind,
            reason=reason,
            status=status,
            values=values,
            version=version,
        )

        target_version_out.additional_properties = d
        return target_version_out

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
