from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.journey_event_attributes import JourneyEventAttributes


T = TypeVar("T", bound="JourneyEvent")


@_attrs_define
class JourneyEvent:
    """
    Attributes:
        channel (str):
        customer_id (str):
        id (str):
        text (str): PII redacted at ingestion
        ts (datetime.datetime):
        type_ (str):
        attributes (JourneyEventAttributes | Unset): free-form, as the sender ingested it
        intent (None | str | Unset):
        order_id (None | str | Unset):
        ticket_id (None | str | Unset):
    """

    channel: str
    customer_id: str
    id: str
    text: str
    ts: datetime.datetime
    type_: str
    attributes: JourneyEventAttributes | Unset = UNSET
    intent: None | str | Unset = UNSET
    order_id: None | str | Unset = UNSET
    ticket_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        customer_id = self.customer_id

        id = self.id

        text = self.text

        ts = self.ts.isoformat()

        type_ = self.type_

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        intent: None | str | Unset
        if isinstance(self.intent, Unset):
            intent = UNSET
        else:
            intent = self.intent

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        ticket_id: None | str | Unset
        if isinstance(self.ticket_id, Unset):
            ticket_id = UNSET
        else:
            ticket_id = self.ticket_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "customer_id": customer_id,
                "id": id,
                "text": text,
                "ts": ts,
                "type": type_,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if intent is not UNSET:
            field_dict["intent"] = intent
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if ticket_id is not UNSET:
            field_dict["ticket_id"] = ticket_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.journey_event_attributes import JourneyEventAttributes

        d = dict(src_dict)
        channel = d.pop("channel")

        customer_id = d.pop("customer_id")

        id = d.pop("id")

        text = d.pop("text")

        ts = datetime.datetime.fromisoformat(d.pop("ts"))

        type_ = d.pop("type")

        _attributes = d.pop("attributes", UNSET)
        attributes: JourneyEventAttributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = JourneyEventAttributes.from_dict(_attributes)

        def _parse_intent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        intent = _parse_intent(d.pop("intent", UNSET))

        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))

        def _parse_ticket_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ticket_id = _parse_ticket_id(d.pop("ticket_id", UNSET))

        journey_event = cls(
            channel=channel,
            customer_id=customer_id,
            id=id,
            text=text,
            ts=ts,
            type_=type_,
            attributes=attributes,
            intent=intent,
            order_id=order_id,
            ticket_id=ticket_id,
        )

        journey_event.additional_properties = d
        return journey_event

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
