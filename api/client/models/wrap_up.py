from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.wrap_up_outcome import WrapUpOutcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.disposition_option import DispositionOption
    from ..models.wrap_up_line import WrapUpLine


T = TypeVar("T", bound="WrapUp")


@_attrs_define
class WrapUp:
    """The structured summary of a conversation, proposed at close (extractive and
    template-based) and saved as the agent left it: on the conversation, on the customer's
    timeline (event `chat_wrapup`) and in the `conversation.closed` webhook.

        Attributes:
            author (str): who saved it (agent:<id>, customer, system...)
            conversation_id (str):
            disposition (str): disposition code (data/wrapup/dispositions.yml)
            disposition_label (str):
            done (list[WrapUpLine]): what was done
            edited (bool): an agent changed the proposal before saving
            intents (list[str]): the customer's intents, in order of first mention
            next_step (list[WrapUpLine]):
            outcome (WrapUpOutcome):
            promised (list[WrapUpLine]): what was promised
            ts (datetime.datetime):
            wanted (list[WrapUpLine]): what the customer wanted
            options (list[DispositionOption] | Unset): the configured codes, best fit first
    """

    author: str
    conversation_id: str
    disposition: str
    disposition_label: str
    done: list[WrapUpLine]
    edited: bool
    intents: list[str]
    next_step: list[WrapUpLine]
    outcome: WrapUpOutcome
    promised: list[WrapUpLine]
    ts: datetime.datetime
    wanted: list[WrapUpLine]
    options: list[DispositionOption] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        author = self.author

        conversation_id = self.conversation_id

        disposition = self.disposition

        disposition_label = self.disposition_label

        done = []
        for done_item_data in self.done:
            done_item = done_item_data.to_dict()
            done.append(done_item)

        edited = self.edited

        intents = self.intents

        next_step = []
        for next_step_item_data in self.next_step:
            next_step_item = next_step_item_data.to_dict()
            next_step.append(next_step_item)

        outcome = self.outcome.value

        promised = []
        for promised_item_data in self.promised:
            promised_item = promised_item_data.to_dict()
            promised.append(promised_item)

        ts = self.ts.isoformat()

        wanted = []
        for wanted_item_data in self.wanted:
            wanted_item = wanted_item_data.to_dict()
            wanted.append(wanted_item)

        options: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = []
            for options_item_data in self.options:
                options_item = options_item_data.to_dict()
                options.append(options_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "author": author,
                "conversation_id": conversation_id,
                "disposition": disposition,
                "disposition_label": disposition_label,
                "done": done,
                "edited": edited,
                "intents": intents,
                "next_step": next_step,
                "outcome": outcome,
                "promised": promised,
                "ts": ts,
                "wanted": wanted,
            }
        )
        if options is not UNSET:
            field_dict["options"] = options

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.disposition_option import DispositionOption
        from ..models.wrap_up_line import WrapUpLine

        d = dict(src_dict)
        author = d.pop("author")

        conversation_id = d.pop("conversation_id")

        disposition = d.pop("disposition")

        disposition_label = d.pop("disposition_label")

        done = []
        _done = d.pop("done")
        for done_item_data in _done:
            done_item = WrapUpLine.from_dict(done_item_data)

            done.append(done_item)

        edited = d.pop("edited")

        intents = cast(list[str], d.pop("intents"))

        next_step = []
        _next_step = d.pop("next_step")
        for next_step_item_data in _next_step:
            next_step_item = WrapUpLine.from_dict(next_step_item_data)

            next_step.append(next_step_item)

        outcome = WrapUpOutcome(d.pop("outcome"))

        promised = []
        _promised = d.pop("promised")
        for promised_item_data in _promised:
            promised_item = WrapUpLine.from_dict(promised_item_data)

            promised.append(promised_item)

        ts = datetime.datetime.fromisoformat(d.pop("ts"))

        wanted = []
        _wanted = d.pop("wanted")
        for wanted_item_data in _wanted:
            wanted_item = WrapUpLine.from_dict(wanted_item_data)

            wanted.append(wanted_item)

        _options = d.pop("options", UNSET)
        options: list[DispositionOption] | Unset = UNSET
        if _options is not UNSET:
            options = []
            for options_item_data in _options:
                options_item = DispositionOption.from_dict(options_item_data)

                options.append(options_item)

        wrap_up = cls(
            author=author,
            conversation_id=conversation_id,
            disposition=disposition,
            disposition_label=disposition_label,
            done=done,
            edited=edited,
            intents=intents,
            next_step=next_step,
            outcome=outcome,
            promised=promised,
            ts=ts,
            wanted=wanted,
            options=options,
        )

        wrap_up.additional_properties = d
        return wrap_up

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
