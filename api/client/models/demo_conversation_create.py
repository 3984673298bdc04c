from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.demo_conversation_create_language_type_0 import (
    DemoConversationCreateLanguageType0,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="DemoConversationCreate")


@_attrs_define
class DemoConversationCreate:
    """
    Attributes:
        customer_id (None | str | Unset):
        language (DemoConversationCreateLanguageType0 | None | Unset):
    """

    customer_id: None | str | Unset = UNSET
    language: DemoConversationCreateLanguageType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, DemoConversationCreateLanguageType0):
            language = self.language.value
        else:
            language = self.language

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        def _parse_language(
            data: object,
        ) -> DemoConversationCreateLanguageType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = DemoConversationCreateLanguageType0(data)

                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DemoConversationCreateLanguageType0 | None | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        demo_conversation_create = cls(
            customer_id=customer_id,
            language=language,
        )

        return demo_conversation_create
