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
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StateChange")


@_attrs_define
class StateChange:
    """To the conversation's panel and to every agent's queue view.

    Attributes:
        action (str):
        actor (str):
        agent_id (None | str):
        state (str):
        version (int):
        conversation_id (None | str | Unset):
        id (str | Unset): stable: receivers de-duplicate on it
        ts (datetime.datetime | Unset):
        type_ (Literal['state'] | Unset):  Default: 'state'.
    """

    action: str
    actor: str
    agent_id: None | str
    state: str
    version: int
    conversation_id: None | str | Unset = UNSET
    id: str | Unset = UNSET
    ts: datetime.datetime | Unset = UNSET
    type_: Literal["state"] | Unset = "state"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor

        agent_id: None | str
        agent_id = self.agent_id

        state = self.state

        version = self.version

        conversation_id: None | str | Unset
        if isinstance(self.conversation_id, Unset):
            conversation_id = UNSET
        else:
            conversation_id = self.conversation_id

        id = self.id

        ts: str | Unset = UNSET
        if not isinstance(self.ts, Unset):
            ts = self.ts.isoformat()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "agent_id": agent_id,
                "state": state,
                "version": version,
            }
        )
        if conversation_id is not UNSET:
            field_dict["conversation_id"] = conversation_id
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
        action = d.pop("action")

        actor = d.pop("actor")

        def _parse_agent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        agent_id = _parse_agent_id(d.pop("agent_id"))

        state = d.pop("state")

        version = d.pop("version")

        def _parse_conversation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        conversation_id = _parse_conversation_id(d.pop("conversation_id", UNSET))

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

        state_change = cls(
            action=action,
            actor=actor,
            agent_id=agent_id,
            state=state,
            version=version,
            conversation_id=conversation_id,
            id=id,
            ts=ts,
            type_=type_,
        )

        state_change.additional_properties = d
        return state_change

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
