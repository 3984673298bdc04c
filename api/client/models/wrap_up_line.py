from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WrapUpLine")


@_attrs_define
class WrapUpLine:
    """One line of a wrap-up summary and the turns it comes from.

    Attributes:
        text (str):
        turn_ids (list[str] | Unset): the conversation's turns it cites
    """

    text: str
    turn_ids: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        turn_ids: list[str] | Unset = UNSET
        if not isinstance(self.turn_ids, Unset):
            turn_ids = self.turn_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
            }
        )
        if turn_ids is not UNSET:
            field_dict["turn_ids"] = turn_ids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        text = d.pop("text")

        turn_ids = cast(list[str], d.pop("turn_ids", UNSET))

        wrap_up_line = cls(
            text=text,
            turn_ids=turn_ids,
        )

        return wrap_up_line
