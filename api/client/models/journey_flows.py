from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.flow import Flow
    from ..models.stage_figures import StageFigures


T = TypeVar("T", bound="JourneyFlows")


@_attrs_define
class JourneyFlows:
    """Where customers who wrote stood, and where they went (api/analytics_journey.py).

    Attributes:
        flows (list[Flow]): first conversation's stage -> end stage, biggest first
        followed (int): customers (a known id) followed through the period
        model (None | str): the stage model (GET /v1/journey/model)
        stages (list[StageFigures]): every stage, in the model's order
    """

    flows: list[Flow]
    followed: int
    model: None | str
    stages: list[StageFigures]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        flows = []
        for flows_item_data in self.flows:
            flows_item = flows_item_data.to_dict()
            flows.append(flows_item)

        followed = self.followed

        model: None | str
        model = self.model

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "flows": flows,
                "followed": followed,
                "model": model,
                "stages": stages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.flow import Flow
        from ..models.stage_figures import StageFigures

        d = dict(src_dict)
        flows = []
        _flows = d.pop("flows")
        for flows_item_data in _flows:
            flows_item = Flow.from_dict(flows_item_data)

            flows.append(flows_item)

        followed = d.pop("followed")

        def _parse_model(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        model = _parse_model(d.pop("model"))

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = StageFigures.from_dict(stages_item_data)

            stages.append(stages_item)

        journey_flows = cls(
            flows=flows,
            followed=followed,
            model=model,
            stages=stages,
        )

        journey_flows.additional_properties = d
        return journey_flows

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
