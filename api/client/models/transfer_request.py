from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TransferRequest")


@_attrs_define
class TransferRequest:
    """To another agent (`to_agent`) or back to a queue (`to_queue`): exactly one.

    Attributes:
        note (str | Unset): for agents only (PII-redacted); never the customer's Default: ''.
        to_agent (None | str | Unset):
        to_queue (None | str | Unset):
    """

    note: str | Unset = ""
    to_agent: None | str | Unset = UNSET
    to_queue: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        note = self.note

        to_agent: None | str | Unset
        if isinstance(self.to_agent, Unset):
            to_agent = UNSET
        else:
            to_agent = self.to_agent

        to_queue: None | str | Unset
        if isinstance(self.to_queue, Unset):
            to_queue = UNSET
        else:
            to_queue = self.to_queue

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if note is not UNSET:
            field_dict["note"] = note
        if to_agent is not UNSET:
            field_dict["to_agent"] = to_agent
        if to_queue is not UNSET:
            field_dict["to_queue"] = to_queue

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        note = d.pop("note", UNSET)

        def _parse_to_agent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_agent = _parse_to_agent(d.pop("to_agent", UNSET))

        def _parse_to_queue(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_queue = _parse_to_queue(d.pop("to_queue", UNSET))

        transfer_request = cls(
            note=note,
            to_agent=to_agent,
            to_queue=to_queue,
        )

        return transfer_request
