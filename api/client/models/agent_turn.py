from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agent_turn_attributes import AgentTurnAttributes


T = TypeVar("T", bound="AgentTurn")


@_attrs_define
class AgentTurn:
    """A turn as agents see it: with its intent and attributes (entities are redacted
    before they are stored, so this carries no card number in clear).

        Attributes:
            attributes (AgentTurnAttributes):
            id (str):
            intent (None | str):
            role (str):
            text (str):
            ts (datetime.datetime):
    """

    attributes: AgentTurnAttributes
    id: str
    intent: None | str
    role: str
    text: str
    ts: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attributes = self.attributes.to_dict()

        id = self.id

        intent: None | str
        intent = self.intent

        role = self.role

        text = self.text

        ts = self.ts.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attributes": attributes,
                "id": id,
                "intent": intent,
                "role": role,
                "text": text,
                "ts": ts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.agent_turn_attributes import AgentTurnAttributes

        d = dict(src_dict)
        attributes = AgentTurnAttributes.from_dict(d.pop("attributes"))

        id = d.pop("id")

        def _parse_intent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        intent = _parse_intent(d.pop("intent"))

        role = d.pop("role")

        text = d.pop("text")

        ts = datetime.datetime.fromisoformat(d.pop("ts"))

        agent_turn = cls(
            attributes=attributes,
            id=id,
            intent=intent,
            role=role,
            text=text,
            ts=ts,
        )

        agent_turn.additional_properties = d
        return agent_turn

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
