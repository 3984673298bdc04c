from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.conversation_public_language import ConversationPublicLanguage
from ..models.conversation_public_state import ConversationPublicState
from ..types import UNSET, Unset

T = TypeVar("T", bound="ConversationPublic")


@_attrs_define
class ConversationPublic:
    """
    Attributes:
        agent_id (None | str):
        channel (str):
        created_at (datetime.datetime):
        customer_id (None | str):
        handoff_reason (None | str):
        id (str):
        queued_at (datetime.datetime | None):
        state (ConversationPublicState):
        updated_at (datetime.datetime):
        version (int): +1 per transition
        language (ConversationPublicLanguage | Unset): the conversation's current language: its latest customer turn's
            Default: ConversationPublicLanguage.EN.
    """

    agent_id: None | str
    channel: str
    created_at: datetime.datetime
    customer_id: None | str
    handoff_reason: None | str
    id: str
    queued_at: datetime.datetime | None
    state: ConversationPublicState
    updated_at: datetime.datetime
    version: int
    language: ConversationPublicLanguage | Unset = ConversationPublicLanguage.EN
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agent_id: None | str
        agent_id = self.agent_id

        channel = self.channel

        created_at = self.created_at.isoformat()

        customer_id: None | str
        customer_id = self.customer_id

        handoff_reason: None | str
        handoff_reason = self.handoff_reason

        id = self.id

        queued_at: None | str
        if isinstance(self.queued_at, datetime.datetime):
            queued_at = self.queued_at.isoformat()
        else:
            queued_at = self.queued_at

        state = self.state.value

        updated_at = self.updated_at.isoformat()

        version = self.version

        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agent_id": agent_id,
                "channel": channel,
                "created_at": created_at,
                "customer_id": customer_id,
                "handoff_reason": handoff_reason,
                "id": id,
                "queued_at": queued_at,
                "state": state,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_agent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        agent_id = _parse_agent_id(d.pop("agent_id"))

        channel = d.pop("channel")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        def _parse_handoff_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        handoff_reason = _parse_handoff_reason(d.pop("handoff_reason"))

        id = d.pop("id")

        def _parse_queued_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                queued_at_type_0 = datetime.datetime.fromisoformat(data)

                return queued_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        queued_at = _parse_queued_at(d.pop("queued_at"))

        state = ConversationPublicState(d.pop("state"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        _language = d.pop("language", UNSET)
        language: ConversationPublicLanguage | Unset
        if isinstance(_language, Unset):
            language = UNSET
        else:
            language = ConversationPublicLanguage(_language)

        conversation_public = cls(
            agent_id=agent_id,
            channel=channel,
            created_at=created_at,
            customer_id=customer_id,
            handoff_reason=handoff_reason,
            id=id,
            queued_at=queued_at,
            state=state,
            updated_at=updated_at,
            version=version,
            language=language,
        )

        conversation_public.additional_properties = d
        return conversation_public

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
