from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.related_event_kind import RelatedEventKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="RelatedEvent")


@_attrs_define
class RelatedEvent:
    """A past event or earlier conversation of this customer that is like the turn
    (`kind` own_history), or how another customer's like problem was handled (`kind`
    resolved_case: a wrap-up, without the other customer's id).

        Attributes:
            channel (str):
            customer_id (None | str): None for another customer's resolved case
            event_id (str):
            reason (str): why it is shown, for the agent
            score (float): cosine similarity to the turn
            text (str): PII redacted
            ts (datetime.datetime):
            type_ (str): event type, e.g. email_in, call, chat_customer
            conversation_id (None | str | Unset): the earlier conversation it was said in
            kind (RelatedEventKind | Unset):  Default: RelatedEventKind.OWN_HISTORY.
            said_to_customer (list[str] | Unset): this customer's own wrap-up only: what an agent told them then, in the
                agent's words (what the bot may repeat to them); never set for a resolved case
    """

    channel: str
    customer_id: None | str
    event_id: str
    reason: str
    score: float
    text: str
    ts: datetime.datetime
    type_: str
    conversation_id: None | str | Unset = UNSET
    kind: RelatedEventKind | Unset = RelatedEventKind.OWN_HISTORY
    said_to_customer: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        customer_id: None | str
        customer_id = self.customer_id

        event_id = self.event_id

        reason = self.reason

        score = self.score

        text = self.text

        ts = self.ts.isoformat()

        type_ = self.type_

        conversation_id: None | str | Unset
        if isinstance(self.conversation_id, Unset):
            conversation_id = UNSET
        else:
            conversation_id = self.conversation_id

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        said_to_customer: list[str] | Unset = UNSET
        if not isinstance(self.said_to_customer, Unset):
            said_to_customer = self.said_to_customer

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "customer_id": customer_id,
                "event_id": event_id,
                "reason": reason,
                "score": score,
                "text": text,
                "ts": ts,
                "type": type_,
            }
        )
        if conversation_id is not UNSET:
            field_dict["conversation_id"] = conversation_id
        if kind is not UNSET:
            field_dict["kind"] = kind
        if said_to_customer is not UNSET:
            field_dict["said_to_customer"] = said_to_customer

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        channel = d.pop("channel")

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        event_id = d.pop("event_id")

        reason = d.pop("reason")

        score = d.pop("score")

        text = d.pop("text")

        ts = datetime.datetime.fromisoformat(d.pop("ts"))

        type_ = d.pop("type")

        def _parse_conversation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        conversation_id = _parse_conversation_id(d.pop("conversation_id", UNSET))

        _kind = d.pop("kind", UNSET)
        kind: RelatedEventKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = RelatedEventKind(_kind)

        said_to_customer = cast(list[str], d.pop("said_to_customer", UNSET))

        related_event = cls(
            channel=channel,
            customer_id=customer_id,
            event_id=event_id,
            reason=reason,
            score=score,
            text=text,
            ts=ts,
            type_=type_,
            conversation_id=conversation_id,
            kind=kind,
            said_to_customer=said_to_customer,
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
