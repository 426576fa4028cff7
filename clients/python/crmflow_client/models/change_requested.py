from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.target_detail import TargetDetail


T = TypeVar("T", bound="ChangeRequested")


@_attrs_define
class ChangeRequested:
    """
    Attributes:
        approval_id (str):
        target (TargetDetail):
    """

    approval_id: str
    target: TargetDetail
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        approval_id = self.approval_id

        target = self.target.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "approval_id": approval_id,
                "target": target,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.target_detail import TargetDetail  # noqa: PLC0415

        d = dict(src_dict)
        approval_id = d.pop("approval_id")

        target = TargetDetail.from_dict(d.pop("target"))

        change_requested = cls(
            approval_id=approval_id,
            target=target,
        )

        change_requested.additional_properties = d
        return change_requested

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
