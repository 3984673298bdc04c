from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SentimentOut")


@_attrs_define
class SentimentOut:
    """
    Attributes:
        compound (float): VADER compound score, -1 (negative) to 1 (positive)
        frustration (float): 0 (calm) to 1 (very frustrated)
        label (str):
        signals (list[str] | Unset):
    """

    compound: float
    frustration: float
    label: str
    signals: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        compound = self.compound

        frustration = self.frustration

        label = self.label

        signals: list[str] | Unset = UNSET
        if not isinstance(self.signals, Unset):
            signals = self.signals

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "compound": compound,
                "frustration": frustration,
                "label": label,
            }
        )
        if signals is not UNSET:
            field_dict["signals"] = signals

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        compound = d.pop("compound")

        frustration = d.pop("frustration")

        label = d.pop("label")

        signals = cast(list[str], d.pop("signals", UNSET))

        sentiment_out = cls(
            compound=compound,
            frustration=frustration,
            label=label,
            signals=signals,
        )

        sentiment_out.additional_properties = d
        return sentiment_out

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
