from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RelatedEvent")


@_attrs_define
class RelatedEvent:
    """
    Attributes:
        channel (str):
        customer_id (str):
        event_id (str):
        score (float): cosine similarity to the turn
        ts (datetime.datetime):
    """

    channel: str
    customer_id: str
    event_id: str
    score: float
    ts: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        customer_id = self.customer_id

        event_id = self.event_id

        score = self.score

        ts = self.ts.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "customer_id": customer_id,
                "event_id": event_id,
                "score": score,
                "ts": ts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        channel = d.pop("channel")

        customer_id = d.pop("customer_id")

        event_id = d.pop("event_id")

        score = d.pop("score")

        ts = datetime.datetime.fromisoformat(d.pop("ts"))

        related_event = cls(
            channel=channel,
            customer_id=customer_id,
            event_id=event_id,
            score=score,
            ts=ts,
        )

        related_event.additional_properties = d
        return related_event

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
