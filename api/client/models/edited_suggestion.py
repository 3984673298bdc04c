from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.edited_version import EditedVersion


T = TypeVar("T", bound="EditedSuggestion")


@_attrs_define
class EditedSuggestion:
    """
    Attributes:
        edited (int):
        intents (list[str]): the requests it was edited for, most frequent first
        shown (int):
        suggestion_id (str):
        suggestion_text (str): the suggestion as it was shown
        used (int): used as it was
        versions (list[EditedVersion]): the most frequent first
    """

    edited: int
    intents: list[str]
    shown: int
    suggestion_id: str
    suggestion_text: str
    used: int
    versions: list[EditedVersion]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        edited = self.edited

        intents = self.intents

        shown = self.shown

        suggestion_id = self.suggestion_id

        suggestion_text = self.suggestion_text

        used = self.used

        versions = []
        for versions_item_data in self.versions:
            versions_item = versions_item_data.to_dict()
            versions.append(versions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "edited": edited,
                "intents": intents,
                "shown": shown,
                "suggestion_id": suggestion_id,
                "suggestion_text": suggestion_text,
                "used": used,
                "versions": versions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.edited_version import EditedVersion

        d = dict(src_dict)
        edited = d.pop("edited")

        intents = cast(list[str], d.pop("intents"))

        shown = d.pop("shown")

        suggestion_id = d.pop("suggestion_id")

        suggestion_text = d.pop("suggestion_text")

        used = d.pop("used")

        versions = []
        _versions = d.pop("versions")
        for versions_item_data in _versions:
            versions_item = EditedVersion.from_dict(versions_item_data)

            versions.append(versions_item)

        edited_suggestion = cls(
            edited=edited,
            intents=intents,
            shown=shown,
            suggestion_id=suggestion_id,
            suggestion_text=suggestion_text,
            used=used,
            versions=versions,
        )

        edited_suggestion.additional_properties = d
        return edited_suggestion

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
