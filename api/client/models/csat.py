from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.csat_distribution import CsatDistribution
    from ..models.rated import Rated


T = TypeVar("T", bound="Csat")


@_attrs_define
class Csat:
    """
    Attributes:
        by_agent (list[Rated]): by the agent who took the conversation
        by_intent (list[Rated]): by the customer's first request
        distribution (CsatDistribution): rating -> count
        mean (float | None): 1-5; null: no rating in the period
        ratings (int):
        resolved_no (int):
        resolved_yes (int): 'is your issue solved?' answered yes
        by_stage (list[Rated] | Unset): by the customer's journey stage when they wrote
    """

    by_agent: list[Rated]
    by_intent: list[Rated]
    distribution: CsatDistribution
    mean: float | None
    ratings: int
    resolved_no: int
    resolved_yes: int
    by_stage: list[Rated] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by_agent = []
        for by_agent_item_data in self.by_agent:
            by_agent_item = by_agent_item_data.to_dict()
            by_agent.append(by_agent_item)

        by_intent = []
        for by_intent_item_data in self.by_intent:
            by_intent_item = by_intent_item_data.to_dict()
            by_intent.append(by_intent_item)

        distribution = self.distribution.to_dict()

        mean: float | None
        mean = self.mean

        ratings = self.ratings

        resolved_no = self.resolved_no

        resolved_yes = self.resolved_yes

        by_stage: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.by_stage, Unset):
            by_stage = []
            for by_stage_item_data in self.by_stage:
                by_stage_item = by_stage_item_data.to_dict()
                by_stage.append(by_stage_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by_agent": by_agent,
                "by_intent": by_intent,
                "distribution": distribution,
                "mean": mean,
                "ratings": ratings,
                "resolved_no": resolved_no,
                "resolved_yes": resolved_yes,
            }
        )
        if by_stage is not UNSET:
            field_dict["by_stage"] = by_stage

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.csat_distribution import CsatDistribution
        from ..models.rated import Rated

        d = dict(src_dict)
        by_agent = []
        _by_agent = d.pop("by_agent")
        for by_agent_item_data in _by_agent:
            by_agent_item = Rated.from_dict(by_agent_item_data)

            by_agent.append(by_agent_item)

        by_intent = []
        _by_intent = d.pop("by_intent")
        for by_intent_item_data in _by_intent:
            by_intent_item = Rated.from_dict(by_intent_item_data)

            by_intent.append(by_intent_item)

        distribution = CsatDistribution.from_dict(d.pop("distribution"))

        def _parse_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean = _parse_mean(d.pop("mean"))

        ratings = d.pop("ratings")

        resolved_no = d.pop("resolved_no")

        resolved_yes = d.pop("resolved_yes")

        _by_stage = d.pop("by_stage", UNSET)
        by_stage: list[Rated] | Unset = UNSET
        if _by_stage is not UNSET:
            by_stage = []
            for by_stage_item_data in _by_stage:
                by_stage_item = Rated.from_dict(by_stage_item_data)

                by_stage.append(by_stage_item)

        csat = cls(
            by_agent=by_agent,
            by_intent=by_intent,
            distribution=distribution,
            mean=mean,
            ratings=ratings,
            resolved_no=resolved_no,
            resolved_yes=resolved_yes,
            by_stage=by_stage,
        )

        csat.additional_properties = d
        return csat

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
