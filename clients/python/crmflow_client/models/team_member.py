from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.team_line import TeamLine


T = TypeVar("T", bound="TeamMember")


@_attrs_define
class TeamMember:
    """
    Attributes:
        lines (list[TeamLine]):
        name (str):
        staff_id (int):
        status (None | str):
        target_id (int | None):
    """

    lines: list[TeamLine]
    name: str
    staff_id: int
    status: None | str
    target_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        name = self.name

        staff_id = self.staff_id

        status: None | str
        status = self.status

        target_id: int | None
        target_id = self.target_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lines": lines,
                "name": name,
                "staff_id": staff_id,
                "status": status,
                "target_id": target_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.team_line import TeamLine  # noqa: PLC0415

        d = dict(src_dict)
        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = TeamLine.from_dict(lines_item_data)

            lines.append(lines_item)

        name = d.pop("name")

        staff_id = d.pop("staff_id")

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        def _parse_target_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        target_id = _parse_target_id(d.pop("target_id"))

        team_member = cls(
            lines=lines,
            name=name,
            staff_id=staff_id,
            status=status,
            target_id=target_id,
        )

        team_member.additional_properties = d
        return team_member

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
