from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.csat_distribution import CsatDistribution


T = TypeVar("T", bound="Csat")


@_attrs_define
class Csat:
    """
    Attributes:
        distribution (CsatDistribution): rating -> count
        mean (float | None): 1-5; null: no rating in the period
        ratings (int):
        resolved_no (int):
        resolved_yes (int): 'is your issue solved?' answered yes
    """

    distribution: CsatDistribution
    mean: float | None
    ratings: int
    resolved_no: int
    resolved_yes: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        distribution = self.distribution.to_dict()

        mean: float | None
        mean = self.mean

        ratings = self.ratings

        resolved_no = self.resolved_no

        resolved_yes = self.resolved_yes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "distribution": distribution,
                "mean": mean,
                "ratings": ratings,
                "resolved_no": resolved_no,
                "resolved_yes": resolved_yes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.csat_distribution import CsatDistribution

        d = dict(src_dict)
        distribution = CsatDistribution.from_dict(d.pop("distribution"))

        def _parse_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean = _parse_mean(d.pop("mean"))

        ratings = d.pop("ratings")

        resolved_no = d.pop("resolved_no")

        resolved_yes = d.pop("resolved_yes")

        csat = cls(
            distribution=distribution,
            mean=mean,
            ratings=ratings,
            resolved_no=resolved_no,
            resolved_yes=resolved_yes,
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
