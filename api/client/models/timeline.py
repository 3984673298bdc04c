from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.journey_event import JourneyEvent
    from ..models.journey_stage import JourneyStage


T = TypeVar("T", bound="Timeline")


@_attrs_define
class Timeline:
    """
    Attributes:
        customer_id (str):
        events (list[JourneyEvent]): newest first
        journey_stage (JourneyStage):
    """

    customer_id: str
    events: list[JourneyEvent]
    journey_stage: JourneyStage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        journey_stage = self.journey_stage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "events": events,
                "journey_stage": journey_stage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.journey_event import JourneyEvent
        from ..models.journey_stage import JourneyStage

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = JourneyEvent.from_dict(events_item_data)

            events.append(events_item)

        journey_stage = JourneyStage.from_dict(d.pop("journey_stage"))

        timeline = cls(
            customer_id=customer_id,
            events=events,
            journey_stage=journey_stage,
        )

        timeline.additional_properties = d
        return timeline

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
