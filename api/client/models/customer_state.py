from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

from ..models.customer_state_state import CustomerStateState
from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerState")


@_attrs_define
class CustomerState:
    """Ownership as the customer sees it (who answers now), without reasons or actors.

    Attributes:
        conversation_id (str):
        state (CustomerStateState):
        version (int):
        id (str | Unset): stable: receivers de-duplicate on it
        ts (datetime.datetime | Unset):
        type_ (Literal['state'] | Unset):  Default: 'state'.
    """

    conversation_id: str
    state: CustomerStateState
    version: int
    id: str | Unset = UNSET
    ts: datetime.datetime | Unset = UNSET
    type_: Literal["state"] | Unset = "state"

    def to_dict(self) -> dict[str, Any]:
        conversation_id = self.conversation_id

        state = self.state.value

        version = self.version

        id = self.id

        ts: str | Unset = UNSET
        if not isinstance(self.ts, Unset):
            ts = self.ts.isoformat()

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "conversation_id": conversation_id,
                "state": state,
                "version": version,
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
        d = dict(src_dict)
        conversation_id = d.pop("conversation_id")

        state = CustomerStateState(d.pop("state"))

        version = d.pop("version")

        id = d.pop("id", UNSET)

        _ts = d.pop("ts", UNSET)
        ts: datetime.datetime | Unset
        if isinstance(_ts, Unset):
            ts = UNSET
        else:
            ts = datetime.datetime.fromisoformat(_ts)

        type_ = cast(Literal["state"] | Unset, d.pop("type", UNSET))
        if type_ != "state" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'state', got '{type_}'")

        customer_state = cls(
            conversation_id=conversation_id,
            state=state,
            version=version,
            id=id,
            ts=ts,
            type_=type_,
        )

        return customer_state
