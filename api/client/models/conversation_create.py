from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.conversation_create_channel import ConversationCreateChannel
from ..models.conversation_create_language_type_0 import ConversationCreateLanguageType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ConversationCreate")


@_attrs_define
class ConversationCreate:
    """
    Attributes:
        channel (ConversationCreateChannel | Unset):  Default: ConversationCreateChannel.WEB.
        customer_id (None | str | Unset): known customer (needs an API key with scope assist)
        language (ConversationCreateLanguageType0 | None | Unset): the site's or browser's language, when known; each
            customer turn's own language then takes over
    """

    channel: ConversationCreateChannel | Unset = ConversationCreateChannel.WEB
    customer_id: None | str | Unset = UNSET
    language: ConversationCreateLanguageType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, ConversationCreateLanguageType0):
            language = self.language.value
        else:
            language = self.language

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if channel is not UNSET:
            field_dict["channel"] = channel
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _channel = d.pop("channel", UNSET)
        channel: ConversationCreateChannel | Unset
        if isinstance(_channel, Unset):
            channel = UNSET
        else:
            channel = ConversationCreateChannel(_channel)

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        def _parse_language(
            data: object,
        ) -> ConversationCreateLanguageType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = ConversationCreateLanguageType0(data)

                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConversationCreateLanguageType0 | None | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        conversation_create = cls(
            channel=channel,
            customer_id=customer_id,
            language=language,
        )

        return conversation_create
