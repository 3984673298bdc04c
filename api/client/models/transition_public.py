from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transition_public_from_state import TransitionPublicFromState
from ..models.transition_public_to_state import TransitionPublicToState

T = TypeVar("T", bound="TransitionPublic")


@_attrs_define
class TransitionPublic:
    """
    Attributes:
        action (str):
        actor (str):
        from_state (TransitionPublicFromState):
        reason (str):
        to_state (TransitionPublicToState):
        ts (datetime.datetime):
    """

    action: str
    actor: str
    from_state: TransitionPublicFromState
    reason: str
    to_state: TransitionPublicToState
    ts: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor

        from_state = self.from_state.value

        reason = self.reason

        to_state = self.to_state.value

        ts = self.ts.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "from_state": from_state,
                "reason": reason,
                "to_state": to_state,
                "ts": ts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        from_state = TransitionPublicFromState(d.pop("from_state"))

        reason = d.pop("reason")

        to_state = TransitionPublicToState(d.pop("to_state"))

        ts = datetime.datetime.fromisoformat(d.pop("ts"))

        transition_public = cls(
            action=action,
            actor=actor,
            from_state=from_state,
            reason=reason,
            to_state=to_state,
            ts=ts,
        )

        transition_public.additional_properties = d
        return transition_public

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
