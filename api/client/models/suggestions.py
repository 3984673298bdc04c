from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.intent_use import IntentUse
    from ..models.suggestion_use import SuggestionUse
    from ..models.suggestions_actions import SuggestionsActions


T = TypeVar("T", bound="Suggestions")


@_attrs_define
class Suggestions:
    """
    Attributes:
        actions (SuggestionsActions): shown / used / edited / dismissed -> count
        top (list[SuggestionUse]): the 20 most shown suggestions
        use_rate (float | None): (used + edited) / shown
        by_intent (list[IntentUse] | Unset): the same counts by the conversation's first request
    """

    actions: SuggestionsActions
    top: list[SuggestionUse]
    use_rate: float | None
    by_intent: list[IntentUse] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actions = self.actions.to_dict()

        top = []
        for top_item_data in self.top:
            top_item = top_item_data.to_dict()
            top.append(top_item)

        use_rate: float | None
        use_rate = self.use_rate

        by_intent: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.by_intent, Unset):
            by_intent = []
            for by_intent_item_data in self.by_intent:
                by_intent_item = by_intent_item_data.to_dict()
                by_intent.append(by_intent_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actions": actions,
                "top": top,
                "use_rate": use_rate,
            }
        )
        if by_intent is not UNSET:
            field_dict["by_intent"] = by_intent

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.intent_use import IntentUse
        from ..models.suggestion_use import SuggestionUse
        from ..models.suggestions_actions import SuggestionsActions

        d = dict(src_dict)
        actions = SuggestionsActions.from_dict(d.pop("actions"))

        top = []
        _top = d.pop("top")
        for top_item_data in _top:
            top_item = SuggestionUse.from_dict(top_item_data)

            top.append(top_item)

        def _parse_use_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        use_rate = _parse_use_rate(d.pop("use_rate"))

        _by_intent = d.pop("by_intent", UNSET)
        by_intent: list[IntentUse] | Unset = UNSET
        if _by_intent is not UNSET:
            by_intent = []
            for by_intent_item_data in _by_intent:
                by_intent_item = IntentUse.from_dict(by_intent_item_data)

                by_intent.append(by_intent_item)

        suggestions = cls(
            actions=actions,
            top=top,
            use_rate=use_rate,
            by_intent=by_intent,
        )

        suggestions.additional_properties = d
        return suggestions

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
