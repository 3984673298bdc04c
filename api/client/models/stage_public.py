from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StagePublic")


@_attrs_define
class StagePublic:
    """
    Attributes:
        en (str): English display name, e.g. Ask
        label (str): for people, English · Chinese, e.g. Ask · 问询
        name (str): the stage as the API and the rules name it, e.g. ask
        zh (str): Chinese display name, e.g. 问询 (empty when none is set)
    """

    en: str
    label: str
    name: str
    zh: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        en = self.en

        label = self.label

        name = self.name

        zh = self.zh

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "en": en,
                "label": label,
                "name": name,
                "zh": zh,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        en = d.pop("en")

        label = d.pop("label")

        name = d.pop("name")

        zh = d.pop("zh")

        stage_public = cls(
            en=en,
            label=label,
            name=name,
            zh=zh,
        )

        stage_public.additional_properties = d
        return stage_public

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
