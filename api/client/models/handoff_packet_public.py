from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.conversation_public import ConversationPublic
    from ..models.handoff_packet import HandoffPacket


T = TypeVar("T", bound="HandoffPacketPublic")


@_attrs_define
class HandoffPacketPublic:
    """
    Attributes:
        conversation (ConversationPublic):
        packet (HandoffPacket | None): reason, bot_summary, transcript, customer_context, journey_stage,
            suggested_first_reply; null before the conversation was ever handed off
    """

    conversation: ConversationPublic
    packet: HandoffPacket | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.handoff_packet import HandoffPacket

        conversation = self.conversation.to_dict()

        packet: dict[str, Any] | None
        if isinstance(self.packet, HandoffPacket):
            packet = self.packet.to_dict()
        else:
            packet = self.packet

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversation": conversation,
                "packet": packet,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.conversation_public import ConversationPublic
        from ..models.handoff_packet import HandoffPacket

        d = dict(src_dict)
        conversation = ConversationPublic.from_dict(d.pop("conversation"))

        def _parse_packet(data: object) -> HandoffPacket | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                packet_type_0 = HandoffPacket.from_dict(data)

                return packet_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HandoffPacket | None, data)

        packet = _parse_packet(d.pop("packet"))

        handoff_packet_public = cls(
            conversation=conversation,
            packet=packet,
        )

        handoff_packet_public.additional_properties = d
        return handoff_packet_public

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
