from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.stage_public import StagePublic


T = TypeVar("T", bound="JourneyModelPublic")


@_attrs_define
class JourneyModelPublic:
    """
    Attributes:
        model (str): the stage model in use: lifecycle (seven stages) or 5a (Aware, Appeal, Ask, Act, Advocate), or
            another model of data/journey/model.yml; chosen there or by AGENT_ASSIST_JOURNEY_MODEL
        stages (list[StagePublic]): the model's stages, in journey order
        title (str): one line about the model
    """

    model: str
    stages: list[StagePublic]
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "stages": stages,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.stage_public import StagePublic

        d = dict(src_dict)
        model = d.pop("model")

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = StagePublic.from_dict(stages_item_data)

            stages.append(stages_item)

        title = d.pop("title")

        journey_model_public = cls(
            model=model,
            stages=stages,
            title=title,
        )

        journey_model_public.additional_properties = d
        return journey_model_public

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
