from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentMessageCreate")


@_attrs_define
class AgentMessageCreate:
    """
    Attributes:
        text (str):
        suggestion_id (None | str | Unset): the suggestion it came from
    """

    text: str
    suggestion_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        suggestion_id: None | str | Unset
        if isinstance(self.suggestion_id, Unset):
            suggestion_id = UNSET
        else:
            suggestion_id = self.suggestion_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
            }
        )
        if suggestion_id is not UNSET:
            field_dict["suggestion_id"] = suggestion_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        text = d.pop("text")

        def _parse_suggestion_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        suggestion_id = _parse_suggestion_id(d.pop("suggestion_id", UNSET))

        agent_message_create = cls(
            text=text,
            suggestion_id=suggestion_id,
        )

        return agent_message_create
