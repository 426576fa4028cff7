from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.approval_decision_body_decision import ApprovalDecisionBodyDecision
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.approval_decision_body_fields_type_0 import ApprovalDecisionBodyFieldsType0


T = TypeVar("T", bound="ApprovalDecisionBody")


@_attrs_define
class ApprovalDecisionBody:
    """
    Attributes:
        decision (ApprovalDecisionBodyDecision):
        comment (None | str | Unset):
        fields (ApprovalDecisionBodyFieldsType0 | None | Unset): approve: the flow's decision form (e.g. a review's
            rating and comment)
        to_step (None | str | Unset): send_back: an earlier step or 'requester'
    """

    decision: ApprovalDecisionBodyDecision
    comment: None | str | Unset = UNSET
    fields: ApprovalDecisionBodyFieldsType0 | None | Unset = UNSET
    to_step: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.approval_decision_body_fields_type_0 import ApprovalDecisionBodyFieldsType0  # noqa: PLC0415

        decision = self.decision.value

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        fields: dict[str, Any] | None | Unset
        if isinstance(self.fields, Unset):
            fields = UNSET
        elif isinstance(self.fields, ApprovalDecisionBodyFieldsType0):
            fields = self.fields.to_dict()
        else:
            fields = self.fields

        to_step: None | str | Unset
        if isinstance(self.to_step, Unset):
            to_step = UNSET
        else:
            to_step = self.to_step

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if fields is not UNSET:
            field_dict["fields"] = fields
        if to_step is not UNSET:
            field_dict["to_step"] = to_step

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_decision_body_fields_type_0 import ApprovalDecisionBodyFieldsType0  # noqa: PLC0415

        d = dict(src_dict)
        decision = ApprovalDecisionBodyDecision(d.pop("decision"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_fields(data: object) -> ApprovalDecisionBodyFieldsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                fields_type_0 = ApprovalDecisionBodyFieldsType0.from_dict(data)

                return fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApprovalDecisionBodyFieldsType0 | None | Unset, data)

        fields = _parse_fields(d.pop("fields", UNSET))

        def _parse_to_step(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_step = _parse_to_step(d.pop("to_step", UNSET))

        approval_decision_body = cls(
            decision=decision,
            comment=comment,
            fields=fields,
            to_step=to_step,
        )

        return approval_decision_body
