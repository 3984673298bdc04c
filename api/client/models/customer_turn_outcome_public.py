from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.customer_turn_outcome_public_state import CustomerTurnOutcomePublicState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_turn import CustomerTurn


T = TypeVar("T", bound="CustomerTurnOutcomePublic")


@_attrs_define
class CustomerTurnOutcomePublic:
    """The answer to a customer's message, for the customer: no analysis, no reasons.

    Attributes:
        replies (list[CustomerTurn]):
        state (CustomerTurnOutcomePublicState):
        turn (CustomerTurn): A turn as the customer may see it: no intent, entities, sentiment or reasons.
        replayed (bool | Unset): a retry of a message already stored Default: False.
    """

    replies: list[CustomerTurn]
    state: CustomerTurnOutcomePublicState
    turn: CustomerTurn
    replayed: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        replies = []
        for replies_item_data in self.replies:
            replies_item = replies_item_data.to_dict()
            replies.append(replies_item)

        state = self.state.value

        turn = self.turn.to_dict()

        replayed = self.replayed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "replies": replies,
                "state": state,
                "turn": turn,
            }
        )
        if replayed is not UNSET:
            field_dict["replayed"] = replayed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_turn import CustomerTurn

        d = dict(src_dict)
        replies = []
        _replies = d.pop("replies")
        for replies_item_data in _replies:
            replies_item = CustomerTurn.from_dict(replies_item_data)

            replies.append(replies_item)

        state = CustomerTurnOutcomePublicState(d.pop("state"))

        turn = CustomerTurn.from_dict(d.pop("turn"))

        replayed = d.pop("replayed", UNSET)

        customer_turn_outcome_public = cls(
            replies=replies,
            state=state,
            turn=turn,
            replayed=replayed,
        )

        customer_turn_outcome_public.additional_properties = d
        return customer_turn_outcome_public

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
