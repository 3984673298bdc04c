from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conversation_public import ConversationPublic
    from ..models.priority_reason_public import PriorityReasonPublic
    from ..models.sentiment_out import SentimentOut


T = TypeVar("T", bound="QueueItemPublic")


@_attrs_define
class QueueItemPublic:
    """
    Attributes:
        conversation (ConversationPublic):
        reason (None | str):
        wait_s (float): seconds since it was queued
        customer_name (None | str | Unset): from the hand-off packet
        for_you (bool | Unset): in a queue the asking agent serves (their skills, or general) Default: True.
        priority (float | Unset): the sum of priority_reasons' points: the queue's order, highest first Default: 0.0.
        priority_reasons (list[PriorityReasonPublic] | Unset): frustration, tier, value, open_tickets, wait
            (data/queue.yml's weights)
        queue (str | Unset): the queue (skill) it waits in Default: 'general'.
        sentiment (None | SentimentOut | Unset): the last customer turn's sentiment: label, compound, frustration
        stage (None | str | Unset): journey stage at hand-off
    """

    conversation: ConversationPublic
    reason: None | str
    wait_s: float
    customer_name: None | str | Unset = UNSET
    for_you: bool | Unset = True
    priority: float | Unset = 0.0
    priority_reasons: list[PriorityReasonPublic] | Unset = UNSET
    queue: str | Unset = "general"
    sentiment: None | SentimentOut | Unset = UNSET
    stage: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.sentiment_out import SentimentOut

        conversation = self.conversation.to_dict()

        reason: None | str
        reason = self.reason

        wait_s = self.wait_s

        customer_name: None | str | Unset
        if isinstance(self.customer_name, Unset):
            customer_name = UNSET
        else:
            customer_name = self.customer_name

        for_you = self.for_you

        priority = self.priority

        priority_reasons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.priority_reasons, Unset):
            priority_reasons = []
            for priority_reasons_item_data in self.priority_reasons:
                priority_reasons_item = priority_reasons_item_data.to_dict()
                priority_reasons.append(priority_reasons_item)

        queue = self.queue

        sentiment: dict[str, Any] | None | Unset
        if isinstance(self.sentiment, Unset):
            sentiment = UNSET
        elif isinstance(self.sentiment, SentimentOut):
            sentiment = self.sentiment.to_dict()
        else:
            sentiment = self.sentiment

        stage: None | str | Unset
        if isinstance(self.stage, Unset):
            stage = UNSET
        else:
            stage = self.stage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversation": conversation,
                "reason": reason,
                "wait_s": wait_s,
            }
        )
        if customer_name is not UNSET:
            field_dict["customer_name"] = customer_name
        if for_you is not UNSET:
            field_dict["for_you"] = for_you
        if priority is not UNSET:
            field_dict["priority"] = priority
        if priority_reasons is not UNSET:
            field_dict["priority_reasons"] = priority_reasons
        if queue is not UNSET:
            field_dict["queue"] = queue
        if sentiment is not UNSET:
            field_dict["sentiment"] = sentiment
        if stage is not UNSET:
            field_dict["stage"] = stage

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.conversation_public import ConversationPublic
        from ..models.priority_reason_public import PriorityReasonPublic
        from ..models.sentiment_out import SentimentOut

        d = dict(src_dict)
        conversation = ConversationPublic.from_dict(d.pop("conversation"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        wait_s = d.pop("wait_s")

        def _parse_customer_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_name = _parse_customer_name(d.pop("customer_name", UNSET))

        for_you = d.pop("for_you", UNSET)

        priority = d.pop("priority", UNSET)

        _priority_reasons = d.pop("priority_reasons", UNSET)
        priority_reasons: list[PriorityReasonPublic] | Unset = UNSET
        if _priority_reasons is not UNSET:
            priority_reasons = []
            for priority_reasons_item_data in _priority_reasons:
                priority_reasons_item = PriorityReasonPublic.from_dict(
                    priority_reasons_item_data
                )

                priority_reasons.append(priority_reasons_item)

        queue = d.pop("queue", UNSET)

        def _parse_sentiment(data: object) -> None | SentimentOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sentiment_type_0 = SentimentOut.from_dict(data)

                return sentiment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SentimentOut | Unset, data)

        sentiment = _parse_sentiment(d.pop("sentiment", UNSET))

        def _parse_stage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stage = _parse_stage(d.pop("stage", UNSET))

        queue_item_public = cls(
            conversation=conversation,
            reason=reason,
            wait_s=wait_s,
            customer_name=customer_name,
            for_you=for_you,
            priority=priority,
            priority_reasons=priority_reasons,
            queue=queue,
            sentiment=sentiment,
            stage=stage,
        )

        queue_item_public.additional_properties = d
        return queue_item_public

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
