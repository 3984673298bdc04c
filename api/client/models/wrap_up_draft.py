from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.wrap_up_line import WrapUpLine


T = TypeVar("T", bound="WrapUpDraft")


@_attrs_define
class WrapUpDraft:
    """What an agent saves when closing: the proposal as edited (every section may be
    changed; cited turn ids must be the conversation's; the code must be configured).

        Attributes:
            disposition (str): a configured code
            done (list[WrapUpLine] | Unset):
            next_step (list[WrapUpLine] | Unset):
            promised (list[WrapUpLine] | Unset):
            wanted (list[WrapUpLine] | Unset):
    """

    disposition: str
    done: list[WrapUpLine] | Unset = UNSET
    next_step: list[WrapUpLine] | Unset = UNSET
    promised: list[WrapUpLine] | Unset = UNSET
    wanted: list[WrapUpLine] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        disposition = self.disposition

        done: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.done, Unset):
            done = []
            for done_item_data in self.done:
                done_item = done_item_data.to_dict()
                done.append(done_item)

        next_step: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.next_step, Unset):
            next_step = []
            for next_step_item_data in self.next_step:
                next_step_item = next_step_item_data.to_dict()
                next_step.append(next_step_item)

        promised: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.promised, Unset):
            promised = []
            for promised_item_data in self.promised:
                promised_item = promised_item_data.to_dict()
                promised.append(promised_item)

        wanted: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.wanted, Unset):
            wanted = []
            for wanted_item_data in self.wanted:
                wanted_item = wanted_item_data.to_dict()
                wanted.append(wanted_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "disposition": disposition,
            }
        )
        if done is not UNSET:
            field_dict["done"] = done
        if next_step is not UNSET:
            field_dict["next_step"] = next_step
        if promised is not UNSET:
            field_dict["promised"] = promised
        if wanted is not UNSET:
            field_dict["wanted"] = wanted

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.wrap_up_line import WrapUpLine

        d = dict(src_dict)
        disposition = d.pop("disposition")

        _done = d.pop("done", UNSET)
        done: list[WrapUpLine] | Unset = UNSET
        if _done is not UNSET:
            done = []
            for done_item_data in _done:
                done_item = WrapUpLine.from_dict(done_item_data)

                done.append(done_item)

        _next_step = d.pop("next_step", UNSET)
        next_step: list[WrapUpLine] | Unset = UNSET
        if _next_step is not UNSET:
            next_step = []
            for next_step_item_data in _next_step:
                next_step_item = WrapUpLine.from_dict(next_step_item_data)

                next_step.append(next_step_item)

        _promised = d.pop("promised", UNSET)
        promised: list[WrapUpLine] | Unset = UNSET
        if _promised is not UNSET:
            promised = []
            for promised_item_data in _promised:
                promised_item = WrapUpLine.from_dict(promised_item_data)

                promised.append(promised_item)

        _wanted = d.pop("wanted", UNSET)
        wanted: list[WrapUpLine] | Unset = UNSET
        if _wanted is not UNSET:
            wanted = []
            for wanted_item_data in _wanted:
                wanted_item = WrapUpLine.from_dict(wanted_item_data)

                wanted.append(wanted_item)

        wrap_up_draft = cls(
            disposition=disposition,
            done=done,
            next_step=next_step,
            promised=promised,
            wanted=wanted,
        )

        return wrap_up_draft
