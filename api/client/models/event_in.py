from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.event_in_channel import EventInChannel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_in_attributes import EventInAttributes


T = TypeVar("T", bound="EventIn")


@_attrs_define
class EventIn:
    """
    Attributes:
        channel (EventInChannel):
        customer_id (str):
        id (str):
        ts (datetime.datetime):
        type_ (str):
        attributes (EventInAttributes | Unset):
        intent (None | str | Unset):
        order_id (None | str | Unset):
        text (str | Unset):  Default: ''.
        ticket_id (None | str | Unset):
    """

    channel: EventInChannel
    customer_id: str
    id: str
    ts: datetime.datetime
    type_: str
    attributes: EventInAttributes | Unset = UNSET
    intent: None | str | Unset = UNSET
    order_id: None | str | Unset = UNSET
    text: str | Unset = ""
    ticket_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        customer_id = self.customer_id

        id = self.id

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

        text = self.text

        ticket_id: None | str | Unset
        if isinstance(self.ticket_id, Unset):
            ticket_id = UNSET
        else:
            ticket_id = self.ticket_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "customer_id": customer_id,
                "id": id,
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
        if text is not UNSET:
            field_dict["text"] = text
        if ticket_id is not UNSET:
            field_dict["ticket_id"] = ticket_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.event_in_attributes import EventInAttributes

        d = dict(src_dict)
        channel = EventInChannel(d.pop("channel"))

        customer_id = d.pop("customer_id")

        id = d.pop("id")

        ts = datetime.datetime.fromisoformat(d.pop("ts"))

        type_ = d.pop("type")

        _attributes = d.pop("attributes", UNSET)
        attributes: EventInAttributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = EventInAttributes.from_dict(_attributes)

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

        text = d.pop("text", UNSET)

        def _parse_ticket_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ticket_id = _parse_ticket_id(d.pop("ticket_id", UNSET))

        event_in = cls(
            channel=channel,
            customer_id=customer_id,
            id=id,
            ts=ts,
            type_=type_,
            attributes=attributes,
            intent=intent,
            order_id=order_id,
            text=text,
            ticket_id=ticket_id,
        )

        return event_in
