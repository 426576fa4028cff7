from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.approval_create_subject_type_type_0 import ApprovalCreateSubjectTypeType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.approval_create_fields import ApprovalCreateFields


T = TypeVar("T", bound="ApprovalCreate")


@_attrs_define
class ApprovalCreate:
    """Start a request on a flow; `fields` are checked against the flow's form (422 per field).

    Attributes:
        flow (str):
        title (str):
        customer_id (int | None | Unset):
        fields (ApprovalCreateFields | Unset):
        subject_id (None | str | Unset):
        subject_type (ApprovalCreateSubjectTypeType0 | None | Unset):
    """

    flow: str
    title: str
    customer_id: int | None | Unset = UNSET
    fields: ApprovalCreateFields | Unset = UNSET
    subject_id: None | str | Unset = UNSET
    subject_type: ApprovalCreateSubjectTypeType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        flow = self.flow

        title = self.title

        customer_id: int | None | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields.to_dict()

        subject_id: None | str | Unset
        if isinstance(self.subject_id, Unset):
            subject_id = UNSET
        else:
            subject_id = self.subject_id

        subject_type: None | str | Unset
        if isinstance(self.subject_type, Unset):
            subject_type = UNSET
        elif isinstance(self.subject_type, ApprovalCreateSubjectTypeType0):
            subject_type = self.subject_type.value
        else:
            subject_type = self.subject_type

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "flow": flow,
                "title": title,
            }
        )
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if fields is not UNSET:
            field_dict["fields"] = fields
        if subject_id is not UNSET:
            field_dict["subject_id"] = subject_id
        if subject_type is not UNSET:
            field_dict["subject_type"] = subject_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_create_fields import ApprovalCreateFields  # noqa: PLC0415

        d = dict(src_dict)
        flow = d.pop("flow")

        title = d.pop("title")

        def _parse_customer_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        _fields = d.pop("fields", UNSET)
        fields: ApprovalCreateFields | Unset
        if isinstance(_fields, Unset):
            fields = UNSET
        else:
            fields = ApprovalCreateFields.from_dict(_fields)

        def _parse_subject_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject_id = _parse_subject_id(d.pop("subject_id", UNSET))

        def _parse_subject_type(data: object) -> ApprovalCreateSubjectTypeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                subject_type_type_0 = ApprovalCreateSubjectTypeType0(data)

                return subject_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApprovalCreateSubjectTypeType0 | None | Unset, data)

        subject_type = _parse_subject_type(d.pop("subject_type", UNSET))

        approval_create = cls(
            flow=flow,
            title=title,
            customer_id=customer_id,
            fields=fields,
            subject_id=subject_id,
            subject_type=subject_type,
        )

        return approval_create
