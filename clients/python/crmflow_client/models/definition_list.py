from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.definition_problem_out import DefinitionProblemOut
    from ..models.definition_summary import DefinitionSummary


T = TypeVar("T", bound="DefinitionList")


@_attrs_define
class DefinitionList:
    """What is loaded from the definitions folder, and what is broken there.

    Attributes:
        directory (str):
        items (list[DefinitionSummary]):
        problems (list[DefinitionProblemOut]):
        total (int):
    """

    directory: str
    items: list[DefinitionSummary]
    problems: list[DefinitionProblemOut]
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        directory = self.directory

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        problems = []
        for problems_item_data in self.problems:
            problems_item = problems_item_data.to_dict()
            problems.append(problems_item)

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "directory": directory,
                "items": items,
                "problems": problems,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.definition_problem_out import DefinitionProblemOut  # noqa: PLC0415
        from ..models.definition_summary import DefinitionSummary  # noqa: PLC0415

        d = dict(src_dict)
        directory = d.pop("directory")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = DefinitionSummary.from_dict(items_item_data)

            items.append(items_item)

        problems = []
        _problems = d.pop("problems")
        for problems_item_data in _problems:
            problems_item = DefinitionProblemOut.from_dict(problems_item_data)

            problems.append(problems_item)

        total = d.pop("total")

        definition_list = cls(
            directory=directory,
            items=items,
            problems=problems,
            total=total,
        )

        definition_list.additional_properties = d
        return definition_list

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
