from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.definition_detail_definition import DefinitionDetailDefinition


T = TypeVar("T", bound="DefinitionDetail")


@_attrs_define
class DefinitionDetail:
    """A definition with its full (snapshot) content.

    Attributes:
        content_hash (str):
        definition (DefinitionDetailDefinition):
        process (str):
        version (int):
    """

    content_hash: str
    definition: DefinitionDetailDefinition
    process: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_hash = self.content_hash

        definition = self.definition.to_dict()

        process = self.process

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content_hash": content_hash,
                "definition": definition,
                "process": process,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.definition_detail_definition import DefinitionDetailDefinition  # noqa: PLC0415

        d = dict(src_dict)
        content_hash = d.pop("content_hash")

        definition = DefinitionDetailDefinition.from_dict(d.pop("definition"))

        process = d.pop("process")

        version = d.pop("version")

        definition_detail = cls(
            content_hash=content_hash,
            definition=definition,
            process=process,
            version=version,
        )

        definition_detail.additional_properties = d
        return definition_detail

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
