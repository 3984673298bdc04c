from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.proactive_offer_public_language import ProactiveOfferPublicLanguage

T = TypeVar("T", bound="ProactiveOfferPublic")


@_attrs_define
class ProactiveOfferPublic:
    """
    Attributes:
        language (ProactiveOfferPublicLanguage):
        text (str): what the bot will say first when the chat is opened
    """

    language: ProactiveOfferPublicLanguage
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        language = self.language.value

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "language": language,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        language = ProactiveOfferPublicLanguage(d.pop("language"))

        text = d.pop("text")

        proactive_offer_public = cls(
            language=language,
            text=text,
        )

        proactive_offer_public.additional_properties = d
        return proactive_offer_public

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
