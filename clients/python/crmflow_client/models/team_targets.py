from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.team_line import TeamLine
    from ..models.team_member import TeamMember


T = TypeVar("T", bound="TeamTargets")


@_attrs_define
class TeamTargets:
    """
    Attributes:
        as_of (datetime.datetime):
        members (list[TeamMember]):
        period (str):
        team (list[TeamLine]):
    """

    as_of: datetime.datetime
    members: list[TeamMember]
    period: str
    team: list[TeamLine]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        members = []
        for members_item_data in self.members:
            members_item = members_item_data.to_dict()
            members.append(members_item)

        period = self.period

        team = []
        for team_item_data in self.team:
            team_item = team_item_data.to_dict()
            team.append(team_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "members": members,
                "period": period,
                "team": team,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.team_line import TeamLine  # noqa: PLC0415
        from ..models.team_member import TeamMember  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        members = []
        _members = d.pop("members")
        for members_item_data in _members:
            members_item = TeamMember.from_dict(members_item_data)

            members.append(members_item)

        period = d.pop("period")

        team = []
        _team = d.pop("team")
        for team_item_data in _team:
            team_item = TeamLine.from_dict(team_item_data)

            team.append(team_item)

        team_targets = cls(
            as_of=as_of,
            members=members,
            period=period,
            team=team,
        )

        team_targets.additional_properties = d
        return team_targets

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
