from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_context import CustomerContext
    from ..models.journey_stage import JourneyStage
    from ..models.packet_turn import PacketTurn


T = TypeVar("T", bound="HandoffPacket")


@_attrs_define
class HandoffPacket:
    """What the agent gets when the bot hands a conversation over.

    Attributes:
        bot_summary (str | Unset): what the bot did, in a few sentences Default: ''.
        customer_context (CustomerContext | None | Unset):
        journey_stage (JourneyStage | None | Unset):
        reason (str | Unset):  Default: ''.
        suggested_first_reply (None | str | Unset):
        transcript (list[PacketTurn] | Unset):
        warnings (list[str] | Unset):
    """

    bot_summary: str | Unset = ""
    customer_context: CustomerContext | None | Unset = UNSET
    journey_stage: JourneyStage | None | Unset = UNSET
    reason: str | Unset = ""
    suggested_first_reply: None | str | Unset = UNSET
    transcript: list[PacketTurn] | Unset = UNSET
    warnings: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_context import CustomerContext
        from ..models.journey_stage import JourneyStage

        bot_summary = self.bot_summary

        customer_context: dict[str, Any] | None | Unset
        if isinstance(self.customer_context, Unset):
            customer_context = UNSET
        elif isinstance(self.customer_context, CustomerContext):
            customer_context = self.customer_context.to_dict()
        else:
            customer_context = self.customer_context

        journey_stage: dict[str, Any] | None | Unset
        if isinstance(self.journey_stage, Unset):
            journey_stage = UNSET
        elif isinstance(self.journey_stage, JourneyStage):
            journey_stage = self.journey_stage.to_dict()
        else:
            journey_stage = self.journey_stage

        reason = self.reason

        suggested_first_reply: None | str | Unset
        if isinstance(self.suggested_first_reply, Unset):
            suggested_first_reply = UNSET
        else:
            suggested_first_reply = self.suggested_first_reply

        transcript: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.transcript, Unset):
            transcript = []
            for transcript_item_data in self.transcript:
                transcript_item = transcript_item_data.to_dict()
                transcript.append(transcript_item)

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if bot_summary is not UNSET:
            field_dict["bot_summary"] = bot_summary
        if customer_context is not UNSET:
            field_dict["customer_context"] = customer_context
        if journey_stage is not UNSET:
            field_dict["journey_stage"] = journey_stage
        if reason is not UNSET:
            field_dict["reason"] = reason
        if suggested_first_reply is not UNSET:
            field_dict["suggested_first_reply"] = suggested_first_reply
        if transcript is not UNSET:
            field_dict["transcript"] = transcript
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_context import CustomerContext
        from ..models.journey_stage import JourneyStage
        from ..models.packet_turn import PacketTurn

        d = dict(src_dict)
        bot_summary = d.pop("bot_summary", UNSET)

        def _parse_customer_context(data: object) -> CustomerContext | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                customer_context_type_0 = CustomerContext.from_dict(data)

                return customer_context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerContext | None | Unset, data)

        customer_context = _parse_customer_context(d.pop("customer_context", UNSET))

        def _parse_journey_stage(data: object) -> JourneyStage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                journey_stage_type_0 = JourneyStage.from_dict(data)

                return journey_stage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JourneyStage | None | Unset, data)

        journey_stage = _parse_journey_stage(d.pop("journey_stage", UNSET))

        reason = d.pop("reason", UNSET)

        def _parse_suggested_first_reply(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        suggested_first_reply = _parse_suggested_first_reply(
            d.pop("suggested_first_reply", UNSET)
        )

        _transcript = d.pop("transcript", UNSET)
        transcript: list[PacketTurn] | Unset = UNSET
        if _transcript is not UNSET:
            transcript = []
            for transcript_item_data in _transcript:
                transcript_item = PacketTurn.from_dict(transcript_item_data)

                transcript.append(transcript_item)

        warnings = cast(list[str], d.pop("warnings", UNSET))

        handoff_packet = cls(
            bot_summary=bot_summary,
            customer_context=customer_context,
            journey_stage=journey_stage,
            reason=reason,
            suggested_first_reply=suggested_first_reply,
            transcript=transcript,
            warnings=warnings,
        )

        handoff_packet.additional_properties = d
        return handoff_packet

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
