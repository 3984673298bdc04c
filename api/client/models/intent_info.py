from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ranked_intent import RankedIntent


T = TypeVar("T", bound="IntentInfo")


@_attrs_define
class IntentInfo:
    """
    Attributes:
        confidence (float): calibrated probability of the top in-scope intent
        name (str): top intent, or the out-of-scope label
        out_of_scope (bool):
        ranking (list[RankedIntent] | Unset):
    """

    confidence: float
    name: str
    out_of_scope: bool
    ranking: list[RankedIntent] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        confidence = self.confidence

        name = self.name

        out_of_scope = self.out_of_scope

        ranking: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.ranking, Unset):
            ranking = []
            for ranking_item_data in self.ranking:
                ranking_item = ranking_item_data.to_dict()
                ranking.append(ranking_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "confidence": confidence,
                "name": name,
                "out_of_scope": out_of_scope,
            }
        )
        if ranking is not UNSET:
            field_dict["ranking"] = ranking

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ranked_intent import RankedIntent

        d = dict(src_dict)
        confidence = d.pop("confidence")

        name = d.pop("name")

        out_of_scope = d.pop("out_of_scope")

        _ranking = d.pop("ranking", UNSET)
        ranking: list[RankedIntent] | Unset = UNSET
        if _ranking is not UNSET:
            ranking = []
            for ranking_item_data in _ranking:
                ranking_item = RankedIntent.from_dict(ranking_item_data)

                ranking.append(ranking_item)

        intent_info = cls(
            confidence=confidence,
            name=name,
            out_of_scope=out_of_scope,
            ranking=ranking,
        )

        intent_info.additional_properties = d
        return intent_info

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
