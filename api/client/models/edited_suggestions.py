from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.edited_suggestion import EditedSuggestion


T = TypeVar("T", bound="EditedSuggestions")


@_attrs_define
class EditedSuggestions:
    """Suggestions agents keep editing: candidates for new templates.

    Attributes:
        min_edits (int):
        since (datetime.datetime):
        suggestions (list[EditedSuggestion]): the most edited first
        until (datetime.datetime):
    """

    min_edits: int
    since: datetime.datetime
    suggestions: list[EditedSuggestion]
    until: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        min_edits = self.min_edits

        since = self.since.isoformat()

        suggestions = []
        for suggestions_item_data in self.suggestions:
            suggestions_item = suggestions_item_data.to_dict()
            suggestions.append(suggestions_item)

        until = self.until.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "min_edits": min_edits,
                "since": since,
                "suggestions": suggestions,
                "until": until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.edited_suggestion import EditedSuggestion

        d = dict(src_dict)
        min_edits = d.pop("min_edits")

        since = datetime.datetime.fromisoformat(d.pop("since"))

        suggestions = []
        _suggestions = d.pop("suggestions")
        for suggestions_item_data in _suggestions:
            suggestions_item = EditedSuggestion.from_dict(suggestions_item_data)

            suggestions.append(suggestions_item)

        until = datetime.datetime.fromisoformat(d.pop("until"))

        edited_suggestions = cls(
            min_edits=min_edits,
            since=since,
            suggestions=suggestions,
            until=until,
        )

        edited_suggestions.additional_properties = d
        return edited_suggestions

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
