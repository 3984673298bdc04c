from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_batch_request_events_item import EventBatchRequestEventsItem


T = TypeVar("T", bound="EventBatchRequest")


@_attrs_define
class EventBatchRequest:
    """
    Attributes:
        events (list[EventBatchRequestEventsItem]): EventIn objects; validated one by one
        atomic (bool | Unset): true: any invalid item rejects the whole batch Default: False.
    """

    events: list[EventBatchRequestEventsItem]
    atomic: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        atomic = self.atomic

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "events": events,
            }
        )
        if atomic is not UNSET:
            field_dict["atomic"] = atomic

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.event_batch_request_events_item import EventBatchRequestEventsItem

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = EventBatchRequestEventsItem.from_dict(events_item_data)

            events.append(events_item)

        atomic = d.pop("atomic", UNSET)

        event_batch_request = cls(
            events=events,
            atomic=atomic,
        )

        return event_batch_request
