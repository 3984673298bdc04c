from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.unanswered_cluster import UnansweredCluster


T = TypeVar("T", bound="Unanswered")


@_attrs_define
class Unanswered:
    """Out-of-scope and unsure customer turns of the period, clustered by meaning.

    Attributes:
        clusters (list[UnansweredCluster]): biggest first
        since (datetime.datetime):
        turns (int): out-of-scope or unsure turns read (the most recent)
        until (datetime.datetime):
        warnings (list[str] | Unset):
    """

    clusters: list[UnansweredCluster]
    since: datetime.datetime
    turns: int
    until: datetime.datetime
    warnings: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        clusters = []
        for clusters_item_data in self.clusters:
            clusters_item = clusters_item_data.to_dict()
            clusters.append(clusters_item)

        since = self.since.isoformat()

        turns = self.turns

        until = self.until.isoformat()

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "clusters": clusters,
                "since": since,
                "turns": turns,
                "until": until,
            }
        )
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.unanswered_cluster import UnansweredCluster

        d = dict(src_dict)
        clusters = []
        _clusters = d.pop("clusters")
        for clusters_item_data in _clusters:
            clusters_item = UnansweredCluster.from_dict(clusters_item_data)

            clusters.append(clusters_item)

        since = datetime.datetime.fromisoformat(d.pop("since"))

        turns = d.pop("turns")

        until = datetime.datetime.fromisoformat(d.pop("until"))

        warnings = cast(list[str], d.pop("warnings", UNSET))

        unanswered = cls(
            clusters=clusters,
            since=since,
            turns=turns,
            until=until,
            warnings=warnings,
        )

        unanswered.additional_properties = d
        return unanswered

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
