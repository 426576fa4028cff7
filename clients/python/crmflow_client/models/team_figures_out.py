from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.figures_out import FiguresOut


T = TypeVar("T", bound="TeamFiguresOut")


@_attrs_define
class TeamFiguresOut:
    """
    Attributes:
        months (int):
        owner_ids (list[int] | None):
        periods (list[FiguresOut]):
        total (FiguresOut | None):
    """

    months: int
    owner_ids: list[int] | None
    periods: list[FiguresOut]
    total: FiguresOut | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.figures_out import FiguresOut  # noqa: PLC0415

        months = self.months

        owner_ids: list[int] | None
        if isinstance(self.owner_ids, list):
            owner_ids = self.owner_ids

        else:
            owner_ids = self.owner_ids

        periods = []
        for periods_item_data in self.periods:
            periods_item = periods_item_data.to_dict()
            periods.append(periods_item)

        total: dict[str, Any] | None
        if isinstance(self.total, FiguresOut):
            total = self.total.to_dict()
        else:
            total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "months": months,
                "owner_ids": owner_ids,
                "periods": periods,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.figures_out import FiguresOut  # noqa: PLC0415

        d = dict(src_dict)
        months = d.pop("months")

        def _parse_owner_ids(data: object) -> list[int] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                owner_ids_type_0 = cast(list[int], data)

                return owner_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None, data)

        owner_ids = _parse_owner_ids(d.pop("owner_ids"))

        periods = []
        _periods = d.pop("periods")
        for periods_item_data in _periods:
            periods_item = FiguresOut.from_dict(periods_item_data)

            periods.append(periods_item)

        def _parse_total(data: object) -> FiguresOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                total_type_0 = FiguresOut.from_dict(data)

                return total_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FiguresOut | None, data)

        total = _parse_total(d.pop("total"))

        team_figures_out = cls(
            months=months,
            owner_ids=owner_ids,
            periods=periods,
            total=total,
        )

        team_figures_out.additional_properties = d
        return team_figures_out

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
