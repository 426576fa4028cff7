from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.flow_out_form import FlowOutForm
    from ..models.flow_out_steps_item import FlowOutStepsItem
    from ..models.flow_out_titles import FlowOutTitles


T = TypeVar("T", bound="FlowOut")


@_attrs_define
class FlowOut:
    """A flow as a start form needs it: its fields and steps (the pinned version is what a new request gets).

    Attributes:
        content_hash (str):
        customer_required (bool):
        flow (str):
        form (FlowOutForm):
        steps (list[FlowOutStepsItem]):
        subject (str):
        title (str):
        version (int):
        titles (FlowOutTitles | Unset):
    """

    content_hash: str
    customer_required: bool
    flow: str
    form: FlowOutForm
    steps: list[FlowOutStepsItem]
    subject: str
    title: str
    version: int
    titles: FlowOutTitles | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_hash = self.content_hash

        customer_required = self.customer_required

        flow = self.flow

        form = self.form.to_dict()

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        subject = self.subject

        title = self.title

        version = self.version

        titles: dict[str, Any] | Unset = UNSET
        if not isinstance(self.titles, Unset):
            titles = self.titles.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content_hash": content_hash,
                "customer_required": customer_required,
                "flow": flow,
                "form": form,
                "steps": steps,
                "subject": subject,
                "title": title,
                "version": version,
            }
        )
        if titles is not UNSET:
            field_dict["titles"] = titles

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flow_out_form import FlowOutForm  # noqa: PLC0415
        from ..models.flow_out_steps_item import FlowOutStepsItem  # noqa: PLC0415
        from ..models.flow_out_titles import FlowOutTitles  # noqa: PLC0415

        d = dict(src_dict)
        content_hash = d.pop("content_hash")

        customer_required = d.pop("customer_required")

        flow = d.pop("flow")

        form = FlowOutForm.from_dict(d.pop("form"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = FlowOutStepsItem.from_dict(steps_item_data)

            steps.append(steps_item)

        subject = d.pop("subject")

        title = d.pop("title")

        version = d.pop("version")

        _titles = d.pop("titles", UNSET)
        titles: FlowOutTitles | Unset
        if isinstance(_titles, Unset):
            titles = UNSET
        else:
            titles = FlowOutTitles.from_dict(_titles)

        flow_out = cls(
            content_hash=content_hash,
            customer_required=customer_required,
            flow=flow,
            form=form,
            steps=steps,
            subject=subject,
            title=title,
            version=version,
            titles=titles,
        )

        flow_out.additional_properties = d
        return flow_out

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
