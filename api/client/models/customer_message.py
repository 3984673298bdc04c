from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_turn import CustomerTurn


T = TypeVar("T", bound="CustomerMessage")


@_attrs_define
class CustomerMessage:
    """
    Attributes:
        conversation_id (str):
        turn (CustomerTurn): A turn as the customer may see it: no intent, entities, sentiment or reasons.
        id (str | Unset): stable: receivers de-duplicate on it
        ts (datetime.datetime | Unset):
        type_ (Literal['message'] | Unset):  Default: 'message'.
    """

    conversation_id: str
    turn: CustomerTurn
    id: str | Unset = UNSET
    ts: datetime.datetime | Unset = UNSET
    type_: Literal["message"] | Unset = "message"

    def to_dict(self) -> dict[str, Any]:
        conversation_id = self.conversation_id

        turn = self.turn.to_dict()

        id = self.id

        ts: str | Unset = UNSET
        if not isinstance(self.ts, Unset):
            ts = self.ts.isoformat()

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "conversation_id": conversation_id,
                "turn": turn,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if ts is not UNSET:
            field_dict["ts"] = ts
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_turn import CustomerTurn

        d = dict(src_dict)
        conversation_id = d.pop("conversation_id")

        turn = CustomerTurn.from_dict(d.pop("turn"))

        id = d.pop("id", UNSET)

        _ts = d.pop("ts", UNSET)
        ts: datetime.datetime | Unset
        if isinstance(_ts, Unset):
            ts = UNSET
        else:
            ts = datetime.datetime.fromisoformat(_ts)

        type_ = cast(Literal["message"] | Unset, d.pop("type", UNSET))
        if type_ != "message" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'message', got '{type_}'")

        customer_message = cls(
            conversation_id=conversation_id,
            turn=turn,
            id=id,
            ts=ts,
            type_=type_,
        )

        return customer_message
