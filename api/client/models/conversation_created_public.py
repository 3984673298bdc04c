from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.conversation_public import ConversationPublic


T = TypeVar("T", bound="ConversationCreatedPublic")


@_attrs_define
class ConversationCreatedPublic:
    """
    Attributes:
        conversation (ConversationPublic):
        token (str): the customer's token: opens this conversation only
    """

    conversation: ConversationPublic
    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversation = self.conversation.to_dict()

        token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversation": conversation,
                "token": token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.conversation_public import ConversationPublic

        d = dict(src_dict)
        conversation = ConversationPublic.from_dict(d.pop("conversation"))

        token = d.pop("token")

        conversation_created_public = cls(
            conversation=conversation,
            token=token,
        )

        conversation_created_public.additional_properties = d
        return conversation_created_public

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
