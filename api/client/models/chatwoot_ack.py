from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.chatwoot_ack_status import ChatwootAckStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatwootAck")


@_attrs_define
class ChatwootAck:
    """The answer to Chatwoot (it reads only the status code).

    Attributes:
        status (ChatwootAckStatus):
        conversation_id (None | str | Unset): the product conversation
        reason (None | str | Unset): why an event was ignored
        replayed (bool | Unset): a redelivery: nothing was done again Default: False.
        state (None | str | Unset): who owns it in the product now
    """

    status: ChatwootAckStatus
    conversation_id: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    replayed: bool | Unset = False
    state: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        conversation_id: None | str | Unset
        if isinstance(self.conversation_id, Unset):
            conversation_id = UNSET
        else:
            conversation_id = self.conversation_id

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        replayed = self.replayed

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if conversation_id is not UNSET:
            field_dict["conversation_id"] = conversation_id
        if reason is not UNSET:
            field_dict["reason"] = reason
        if replayed is not UNSET:
            field_dict["replayed"] = replayed
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = ChatwootAckStatus(d.pop("status"))

        def _parse_conversation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        conversation_id = _parse_conversation_id(d.pop("conversation_id", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        replayed = d.pop("replayed", UNSET)

        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        chatwoot_ack = cls(
            status=status,
            conversation_id=conversation_id,
            reason=reason,
            replayed=replayed,
            state=state,
        )

        chatwoot_ack.additional_properties = d
        return chatwoot_ack

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
