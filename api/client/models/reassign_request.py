from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReassignRequest")


@_attrs_define
class ReassignRequest:
    """
    Attributes:
        to_agent (str):
        note (str | Unset): for agents only (PII-redacted) Default: ''.
    """

    to_agent: str
    note: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        to_agent = self.to_agent

        note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "to_agent": to_agent,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        to_agent = d.pop("to_agent")

        note = d.pop("note", UNSET)

        reassign_request = cls(
            to_agent=to_agent,
            note=note,
        )

        return reassign_request
