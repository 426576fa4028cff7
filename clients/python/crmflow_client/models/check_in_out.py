from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.check_in_out_off_pace_item import CheckInOutOffPaceItem
    from ..models.check_in_out_response_type_0 import CheckInOutResponseType0


T = TypeVar("T", bound="CheckInOut")


@_attrs_define
class CheckInOut:
    """
    Attributes:
        acknowledged_by (int | None):
        acknowledgement (None | str):
        checkpoint_day (int):
        created_at (datetime.datetime):
        id (int):
        off_pace (list[CheckInOutOffPaceItem]):
        response (CheckInOutResponseType0 | None):
        status (str):
    """

    acknowledged_by: int | None
    acknowledgement: None | str
    checkpoint_day: int
    created_at: datetime.datetime
    id: int
    off_pace: list[CheckInOutOffPaceItem]
    response: CheckInOutResponseType0 | None
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.check_in_out_response_type_0 import CheckInOutResponseType0  # noqa: PLC0415

        acknowledged_by: int | None
        acknowledged_by = self.acknowledged_by

        acknowledgement: None | str
        acknowledgement = self.acknowledgement

        checkpoint_day = self.checkpoint_day

        created_at = self.created_at.isoformat()

        id = self.id

        off_pace = []
        for off_pace_item_data in self.off_pace:
            off_pace_item = off_pace_item_data.to_dict()
            off_pace.append(off_pace_item)

        response: dict[str, Any] | None
        if isinstance(self.response, CheckInOutResponseType0):
            response = self.response.to_dict()
        else:
            response = self.response

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acknowledged_by": acknowledged_by,
                "acknowledgement": acknowledgement,
                "checkpoint_day": checkpoint_day,
                "created_at": created_at,
                "id": id,
                "off_pace": off_pace,
                "response": response,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.check_in_out_off_pace_item import CheckInOutOffPaceItem  # noqa: PLC0415
        from ..models.check_in_out_response_type_0 import CheckInOutResponseType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_acknowledged_by(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        acknowledged_by = _parse_acknowledged_by(d.pop("acknowledged_by"))

        def _parse_acknowledgement(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        acknowledgement = _parse_acknowledgement(d.pop("acknowledgement"))

        checkpoint_day = d.pop("checkpoint_day")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        off_pace = []
        _off_pace = d.pop("off_pace")
        for off_pace_item_data in _off_pace:
            off_pace_item = CheckInOutOffPaceItem.from_dict(off_pace_item_data)

            off_pace.append(off_pace_item)

        def _parse_response(data: object) -> CheckInOutResponseType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_type_0 = CheckInOutResponseType0.from_dict(data)

                return response_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CheckInOutResponseType0 | None, data)

        response = _parse_response(d.pop("response"))

        status = d.pop("status")

        check_in_out = cls(
            acknowledged_by=acknowledged_by,
            acknowledgement=acknowledgement,
            checkpoint_day=checkpoint_day,
            created_at=created_at,
            id=id,
            off_pace=off_pace,
            response=response,
            status=status,
        )

        check_in_out.additional_properties = d
        return check_in_out

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
