from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.customer_conversation_public_language import (
    CustomerConversationPublicLanguage,
)
from ..models.customer_conversation_public_state import CustomerConversationPublicState
from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomerConversationPublic")


@_attrs_define
class CustomerConversationPublic:
    """A conversation as its customer sees it: who answers now, not why or who moved it.

    Attributes:
        channel (str):
        created_at (datetime.datetime):
        id (str):
        state (CustomerConversationPublicState):
        updated_at (datetime.datetime):
        version (int): +1 per ownership change
        agent_name (None | str | Unset): the person answering, once one does
        language (CustomerConversationPublicLanguage | Unset): the language the service answers in Default:
            CustomerConversationPublicLanguage.EN.
    """

    channel: str
    created_at: datetime.datetime
    id: str
    state: CustomerConversationPublicState
    updated_at: datetime.datetime
    version: int
    agent_name: None | str | Unset = UNSET
    language: CustomerConversationPublicLanguage | Unset = (
        CustomerConversationPublicLanguage.EN
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        created_at = self.created_at.isoformat()

        id = self.id

        state = self.state.value

        updated_at = self.updated_at.isoformat()

        version = self.version

        agent_name: None | str | Unset
        if isinstance(self.agent_name, Unset):
            agent_name = UNSET
        else:
            agent_name = self.agent_name

        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "created_at": created_at,
                "id": id,
                "state": state,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if agent_name is not UNSET:
            field_dict["agent_name"] = agent_name
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        channel = d.pop("channel")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        state = CustomerConversationPublicState(d.pop("state"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_agent_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agent_name = _parse_agent_name(d.pop("agent_name", UNSET))

        _language = d.pop("language", UNSET)
        language: CustomerConversationPublicLanguage | Unset
        if isinstance(_language, Unset):
            language = UNSET
        else:
            language = CustomerConversationPublicLanguage(_language)

        customer_conversation_public = cls(
            channel=channel,
            created_at=created_at,
            id=id,
            state=state,
            updated_at=updated_at,
            version=version,
            agent_name=agent_name,
            language=language,
        )

        customer_conversation_public.additional_properties = d
        return customer_conversation_public

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
