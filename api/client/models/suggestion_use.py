from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SuggestionUse")


@_attrs_define
class SuggestionUse:
    """
    Attributes:
        dismissed (int):
        edited (int):
        shown (int):
        suggestion_id (str):
        used (int):
    """

    dismissed: int
    edited: int
    shown: int
    suggestion_id: str
    used: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dismissed = self.dismissed

        edited = self.edited

        shown = self.shown

        suggestion_id = self.suggestion_id

        used = self.used

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dismissed": dismissed,
                "edited": edited,
                "shown": shown,
                "suggestion_id": suggestion_id,
                "used": used,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        dismissed = d.pop("dismissed")

        edited = d.pop("edited")

        shown = d.pop("shown")

        suggestion_id = d.pop("suggestion_id")

        used = d.pop("used")

        suggestion_use = cls(
            dismissed=dismissed,
            edited=edited,
            shown=shown,
            suggestion_id=suggestion_id,
            used=used,
        )

        suggestion_use.additional_properties = d
        return suggestion_use

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
