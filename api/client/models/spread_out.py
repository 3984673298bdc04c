from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SpreadOut")


@_attrs_define
class SpreadOut:
    """
    Attributes:
        count (int): how many measured
        median_s (float | None): seconds (nearest rank); null: none measured
        p90_s (float | None):
    """

    count: int
    median_s: float | None
    p90_s: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        median_s: float | None
        median_s = self.median_s

        p90_s: float | None
        p90_s = self.p90_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "median_s": median_s,
                "p90_s": p90_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        count = d.pop("count")

        def _parse_median_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_s = _parse_median_s(d.pop("median_s"))

        def _parse_p90_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p90_s = _parse_p90_s(d.pop("p90_s"))

        spread_out = cls(
            count=count,
            median_s=median_s,
            p90_s=p90_s,
        )

        spread_out.additional_properties = d
        return spread_out

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
