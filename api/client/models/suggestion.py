from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.suggestion_components import SuggestionComponents


T = TypeVar("T", bound="Suggestion")


@_attrs_define
class Suggestion:
    """
    Attributes:
        id (str): response bank item id
        kind (str): template / reply / article
        score (float):
        source (str): where the text comes from (bitext, knowledge:<id>)
        text (str): filled with the customer's facts, ready to send
        title (str):
        components (SuggestionComponents | Unset): what the score is made of (the four features, intent and stage hits,
            `learned`: the use-rate bonus); `reranked`: the score a shipped re-ranker (AGENT_ASSIST_SUGGESTION_POLICY)
            ordered the list by
        intents (list[str] | Unset):
        position (int | Unset): 1-based place in the ranked list served (knowledge articles included); send it back with
            the feedback on this suggestion Default: 0.
        propensity (float | Unset): the probability that the serving policy put this item at this position (below 1 when
            AGENT_ASSIST_SUGGESTION_RANDOM_RATE randomises a share of the lists); send it back with the feedback on this
            suggestion Default: 1.0.
    """

    id: str
    kind: str
    score: float
    source: str
    text: str
    title: str
    components: SuggestionComponents | Unset = UNSET
    intents: list[str] | Unset = UNSET
    position: int | Unset = 0
    propensity: float | Unset = 1.0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind

        score = self.score

        source = self.source

        text = self.text

        title = self.title

        components: dict[str, Any] | Unset = UNSET
        if not isinstance(self.components, Unset):
            components = self.components.to_dict()

        intents: list[str] | Unset = UNSET
        if not isinstance(self.intents, Unset):
            intents = self.intents

        position = self.position

        propensity = self.propensity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "score": score,
                "source": source,
                "text": text,
                "title": title,
            }
        )
        if components is not UNSET:
            field_dict["components"] = components
        if intents is not UNSET:
            field_dict["intents"] = intents
        if position is not UNSET:
            field_dict["position"] = position
        if propensity is not UNSET:
            field_dict["propensity"] = propensity

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.suggestion_components import SuggestionComponents

        d = dict(src_dict)
        id = d.pop("id")

        kind = d.pop("kind")

        score = d.pop("score")

        source = d.pop("source")

        text = d.pop("text")

        title = d.pop("title")

        _components = d.pop("components", UNSET)
        components: SuggestionComponents | Unset
        if isinstance(_components, Unset):
            components = UNSET
        else:
            components = SuggestionComponents.from_dict(_components)

        intents = cast(list[str], d.pop("intents", UNSET))

        position = d.pop("position", UNSET)

        propensity = d.pop("propensity", UNSET)

        suggestion = cls(
            id=id,
            kind=kind,
            score=score,
            source=source,
            text=text,
            title=title,
            components=components,
            intents=intents,
            position=position,
            propensity=propensity,
        )

        suggestion.additional_properties = d
        return suggestion

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
