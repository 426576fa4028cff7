from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.report_out_rows_item import ReportOutRowsItem


T = TypeVar("T", bound="ReportOut")


@_attrs_define
class ReportOut:
    """A section's figures: `columns` name the keys of each row, in order (the CSV header).

    Attributes:
        columns (list[str]):
        limit (int):
        offset (int):
        rows (list[ReportOutRowsItem]):
        scope (str):
        section (str):
        total (int):
        months (list[str] | Unset):
        period (None | str | Unset):
        staff_id (int | None | Unset):
    """

    columns: list[str]
    limit: int
    offset: int
    rows: list[ReportOutRowsItem]
    scope: str
    section: str
    total: int
    months: list[str] | Unset = UNSET
    period: None | str | Unset = UNSET
    staff_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        columns = self.columns

        limit = self.limit

        offset = self.offset

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        scope = self.scope

        section = self.section

        total = self.total

        months: list[str] | Unset = UNSET
        if not isinstance(self.months, Unset):
            months = self.months

        period: None | str | Unset
        if isinstance(self.period, Unset):
            period = UNSET
        else:
            period = self.period

        staff_id: int | None | Unset
        if isinstance(self.staff_id, Unset):
            staff_id = UNSET
        else:
            staff_id = self.staff_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "columns": columns,
                "limit": limit,
                "offset": offset,
                "rows": rows,
                "scope": scope,
                "section": section,
                "total": total,
            }
        )
        if months is not UNSET:
            field_dict["months"] = months
        if period is not UNSET:
            field_dict["period"] = period
        if staff_id is not UNSET:
            field_dict["staff_id"] = staff_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_out_rows_item import ReportOutRowsItem  # noqa: PLC0415

        d = dict(src_dict)
        columns = cast(list[str], d.pop("columns"))

        limit = d.pop("limit")

        offset = d.pop("offset")

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = ReportOutRowsItem.from_dict(rows_item_data)

            rows.append(rows_item)

        scope = d.pop("scope")

        section = d.pop("section")

        total = d.pop("total")

        months = cast(list[str], d.pop("months", UNSET))

        def _parse_period(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        period = _parse_period(d.pop("period", UNSET))

        def _parse_staff_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        staff_id = _parse_staff_id(d.pop("staff_id", UNSET))

        report_out = cls(
            columns=columns,
            limit=limit,
            offset=offset,
            rows=rows,
            scope=scope,
            section=section,
            total=total,
            months=months,
            period=period,
            staff_id=staff_id,
        )

        report_out.additional_properties = d
        return report_out

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
