from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conversation_public import ConversationPublic
    from ..models.queue_status_public import QueueStatusPublic
    from ..models.turn_public import TurnPublic


T = TypeVar("T", bound="TranscriptPublic")


@_attrs_define
class TranscriptPublic:
    """
    Attributes:
        conversation (ConversationPublic):
        turns (list[TurnPublic]):
        queue (None | QueueStatusPublic | Unset): while waiting for a person: the place in the queue
    """

    conversation: ConversationPublic
    turns: list[TurnPublic]
    queue: None | QueueStatusPublic | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.queue_status_public import QueueStatusPublic

        conversation = self.conversation.to_dict()

        turns = []
        for turns_item_data in self.turns:
            turns_item = turns_item_data.to_dict()
            turns.append(turns_item)

        queue: dict[str, Any] | None | Unset
        if isinstance(self.queue, Unset):
            queue = UNSET
        elif isinstance(self.queue, QueueStatusPublic):
            queue = self.queue.to_dict()
        else:
            queue = self.queue

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversation": conversation,
                "turns": turns,
            }
        )
        if queue is not UNSET:
            field_dict["queue"] = queue

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.conversation_public import ConversationPublic
        from ..models.queue_status_public import QueueStatusPublic
        from ..models.turn_public import TurnPublic

        d = dict(src_dict)
        conversation = ConversationPublic.from_dict(d.pop("conversation"))

        turns = []
        _turns = d.pop("turns")
        for turns_item_data in _turns:
            turns_item = TurnPublic.from_dict(turns_item_data)

            turns.append(turns_item)

        def _parse_queue(data: object) -> None | QueueStatusPublic | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                queue_type_0 = QueueStatusPublic.from_dict(data)

                return queue_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QueueStatusPublic | Unset, data)

        queue = _parse_queue(d.pop("queue", UNSET))

        transcript_public = cls(
            conversation=conversation,
            turns=turns,
            queue=queue,
        )

        transcript_public.additional_properties = d
        return transcript_public

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
