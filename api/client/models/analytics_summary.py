from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.count import Count
    from ..models.csat import Csat
    from ..models.journey_flows import JourneyFlows
    from ..models.spread_out import SpreadOut
    from ..models.suggestions import Suggestions


T = TypeVar("T", bound="AnalyticsSummary")


@_attrs_define
class AnalyticsSummary:
    """Conversations STARTED in [since, until), optionally on one channel: exact counts.

    Attributes:
        abandoned_in_queue (int): closed while waiting for a person
        agent (None | str): only conversations this agent took
        channel (None | str):
        claimed (int):
        closed (int):
        contained (int): the customer wrote and no person was ever asked for
        containment_rate (float | None): contained / with_customer_message
        conversations (int):
        csat (Csat):
        dispositions (list[Count]): saved wrap-ups by disposition code
        first_agent_reply (SpreadOut):
        handed_off (int):
        handoff_rate (float | None): handed_off / with_customer_message
        handoff_reasons (list[Count]): the first hand-off's reason, top 20
        intent (None | str): only conversations whose first request was it
        intents (list[Count]): the customers' first requests, top 20
        outcomes (list[Count]): saved wrap-ups by outcome
        queue_wait (SpreadOut):
        repeat_contact_rate (float | None):
        repeat_contacts (int): of those, the customer had started another about the same request in the 7 days before
        since (datetime.datetime):
        still_queued (int):
        suggestions (Suggestions):
        until (datetime.datetime):
        with_customer_message (int):
        with_topic (int): conversations whose first request names a topic
        journey (JourneyFlows | None | Unset): journey stages and flows; null: no stage model loaded
        stage (None | str | Unset): only conversations started in this stage
    """

    abandoned_in_queue: int
    agent: None | str
    channel: None | str
    claimed: int
    closed: int
    contained: int
    containment_rate: float | None
    conversations: int
    csat: Csat
    dispositions: list[Count]
    first_agent_reply: SpreadOut
    handed_off: int
    handoff_rate: float | None
    handoff_reasons: list[Count]
    intent: None | str
    intents: list[Count]
    outcomes: list[Count]
    queue_wait: SpreadOut
    repeat_contact_rate: float | None
    repeat_contacts: int
    since: datetime.datetime
    still_queued: int
    suggestions: Suggestions
    until: datetime.datetime
    with_customer_message: int
    with_topic: int
    journey: JourneyFlows | None | Unset = UNSET
    stage: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.journey_flows import JourneyFlows

        abandoned_in_queue = self.abandoned_in_queue

        agent: None | str
        agent = self.agent

        channel: None | str
        channel = self.channel

        claimed = self.claimed

        closed = self.closed

        contained = self.contained

        containment_rate: float | None
        containment_rate = self.containment_rate

        conversations = self.conversations

        csat = self.csat.to_dict()

        dispositions = []
        for dispositions_item_data in self.dispositions:
            dispositions_item = dispositions_item_data.to_dict()
            dispositions.append(dispositions_item)

        first_agent_reply = self.first_agent_reply.to_dict()

        handed_off = self.handed_off

        handoff_rate: float | None
        handoff_rate = self.handoff_rate

        handoff_reasons = []
        for handoff_reasons_item_data in self.handoff_reasons:
            handoff_reasons_item = handoff_reasons_item_data.to_dict()
            handoff_reasons.append(handoff_reasons_item)

        intent: None | str
        intent = self.intent

        intents = []
        for intents_item_data in self.intents:
            intents_item = intents_item_data.to_dict()
            intents.append(intents_item)

        outcomes = []
        for outcomes_item_data in self.outcomes:
            outcomes_item = outcomes_item_data.to_dict()
            outcomes.append(outcomes_item)

        queue_wait = self.queue_wait.to_dict()

        repeat_contact_rate: float | None
        repeat_contact_rate = self.repeat_contact_rate

        repeat_contacts = self.repeat_contacts

        since = self.since.isoformat()

        still_queued = self.still_queued

        suggestions = self.suggestions.to_dict()

        until = self.until.isoformat()

        with_customer_message = self.with_customer_message

        with_topic = self.with_topic

        journey: dict[str, Any] | None | Unset
        if isinstance(self.journey, Unset):
            journey = UNSET
        elif isinstance(self.journey, JourneyFlows):
            journey = self.journey.to_dict()
        else:
            journey = self.journey

        stage: None | str | Unset
        if isinstance(self.stage, Unset):
            stage = UNSET
        else:
            stage = self.stage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "abandoned_in_queue": abandoned_in_queue,
                "agent": agent,
                "channel": channel,
                "claimed": claimed,
                "closed": closed,
                "contained": contained,
                "containment_rate": containment_rate,
                "conversations": conversations,
                "csat": csat,
                "dispositions": dispositions,
                "first_agent_reply": first_agent_reply,
                "handed_off": handed_off,
                "handoff_rate": handoff_rate,
                "handoff_reasons": handoff_reasons,
                "intent": intent,
                "intents": intents,
                "outcomes": outcomes,
                "queue_wait": queue_wait,
                "repeat_contact_rate": repeat_contact_rate,
                "repeat_contacts": repeat_contacts,
                "since": since,
                "still_queued": still_queued,
                "suggestions": suggestions,
                "until": until,
                "with_customer_message": with_customer_message,
                "with_topic": with_topic,
            }
        )
        if journey is not UNSET:
            field_dict["journey"] = journey
        if stage is not UNSET:
            field_dict["stage"] = stage

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.count import Count
        from ..models.csat import Csat
        from ..models.journey_flows import JourneyFlows
        from ..models.spread_out import SpreadOut
        from ..models.suggestions import Suggestions

        d = dict(src_dict)
        abandoned_in_queue = d.pop("abandoned_in_queue")

        def _parse_agent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        agent = _parse_agent(d.pop("agent"))

        def _parse_channel(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        channel = _parse_channel(d.pop("channel"))

        claimed = d.pop("claimed")

        closed = d.pop("closed")

        contained = d.pop("contained")

        def _parse_containment_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        containment_rate = _parse_containment_rate(d.pop("containment_rate"))

        conversations = d.pop("conversations")

        csat = Csat.from_dict(d.pop("csat"))

        dispositions = []
        _dispositions = d.pop("dispositions")
        for dispositions_item_data in _dispositions:
            dispositions_item = Count.from_dict(dispositions_item_data)

            dispositions.append(dispositions_item)

        first_agent_reply = SpreadOut.from_dict(d.pop("first_agent_reply"))

        handed_off = d.pop("handed_off")

        def _parse_handoff_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        handoff_rate = _parse_handoff_rate(d.pop("handoff_rate"))

        handoff_reasons = []
        _handoff_reasons = d.pop("handoff_reasons")
        for handoff_reasons_item_data in _handoff_reasons:
            handoff_reasons_item = Count.from_dict(handoff_reasons_item_data)

            handoff_reasons.append(handoff_reasons_item)

        def _parse_intent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        intent = _parse_intent(d.pop("intent"))

        intents = []
        _intents = d.pop("intents")
        for intents_item_data in _intents:
            intents_item = Count.from_dict(intents_item_data)

            intents.append(intents_item)

        outcomes = []
        _outcomes = d.pop("outcomes")
        for outcomes_item_data in _outcomes:
            outcomes_item = Count.from_dict(outcomes_item_data)

            outcomes.append(outcomes_item)

        queue_wait = SpreadOut.from_dict(d.pop("queue_wait"))

        def _parse_repeat_contact_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        repeat_contact_rate = _parse_repeat_contact_rate(d.pop("repeat_contact_rate"))

        repeat_contacts = d.pop("repeat_contacts")

        since = datetime.datetime.fromisoformat(d.pop("since"))

        still_queued = d.pop("still_queued")

        suggestions = Suggestions.from_dict(d.pop("suggestions"))

        until = datetime.datetime.fromisoformat(d.pop("until"))

        with_customer_message = d.pop("with_customer_message")

        with_topic = d.pop("with_topic")

        def _parse_journey(data: object) -> JourneyFlows | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                journey_type_0 = JourneyFlows.from_dict(data)

                return journey_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JourneyFlows | None | Unset, data)

        journey = _parse_journey(d.pop("journey", UNSET))

        def _parse_stage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stage = _parse_stage(d.pop("stage", UNSET))

        analytics_summary = cls(
            abandoned_in_queue=abandoned_in_queue,
            agent=agent,
            channel=channel,
            claimed=claimed,
            closed=closed,
            contained=contained,
            containment_rate=containment_rate,
            conversations=conversations,
            csat=csat,
            dispositions=dispositions,
            first_agent_reply=first_agent_reply,
            handed_off=handed_off,
            handoff_rate=handoff_rate,
            handoff_reasons=handoff_reasons,
            intent=intent,
            intents=intents,
            outcomes=outcomes,
            queue_wait=queue_wait,
            repeat_contact_rate=repeat_contact_rate,
            repeat_contacts=repeat_contacts,
            since=since,
            still_queued=still_queued,
            suggestions=suggestions,
            until=until,
            with_customer_message=with_customer_message,
            with_topic=with_topic,
            journey=journey,
            stage=stage,
        )

        analytics_summary.additional_properties = d
        return analytics_summary

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
