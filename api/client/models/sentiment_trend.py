from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SentimentTrend")


@_attrs_define
class SentimentTrend:
    """
    Attributes:
        negative_recently (bool):
        samples (int):
        trend (str): worsening / improving / stable / unknown
        previous (float | None | Unset): mean compound 8-60 days ago
        recent (float | None | Unset): mean compound of the last 7 days
    """

    negative_recently: bool
    samples: int
    trend: str
    previous: float | None | Unset = UNSET
    recent: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        negative_recently = self.negative_recently

        samples = self.samples

        trend = self.trend

        previous: float | None | Unset
        if isinstance(self.previous, Unset):
            previous = UNSET
        else:
            previous = self.previous

        recent: float | None | Unset
        if isinstance(self.recent, Unset):
            recent = UNSET
        else:
            recent = self.recent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "negative_recently": negative_recently,
                "samples": samples,
                "trend": trend,
            }
        )
        if previous is not UNSET:
            field_dict["previous"] = previous
        if recent is not UNSET:
            field_dict["recent"] = recent

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        negative_recently = d.pop("negative_recently")

        samples = d.pop("samples")

        trend = d.pop("trend")

        def _parse_previous(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        previous = _parse_previous(d.pop("previous", UNSET))

        def _parse_recent(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        recent = _parse_recent(d.pop("recent", UNSET))

        sentiment_trend = cls(
            negative_recently=negative_recently,
            samples=samples,
            trend=trend,
            previous=previous,
            recent=recent,
        )

        sentiment_trend.additional_properties = d
        return sentiment_trend

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
