from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UnansweredCluster")


@_attrs_define
class UnansweredCluster:
    """
    Attributes:
        conversation_ids (list[str]): a few conversations to read
        examples (list[str]): distinct texts, the most central first (PII redacted)
        first_half (int): turns in the first half of the period
        first_seen (datetime.datetime):
        intents (list[str]): what the classifier said: out_of_scope or its guess
        last_seen (datetime.datetime):
        second_half (int): turns in the second half: the trend
        size (int): customer turns in the cluster
    """

    conversation_ids: list[str]
    examples: list[str]
    first_half: int
    first_seen: datetime.datetime
    intents: list[str]
    last_seen: datetime.datetime
    second_half: int
    size: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversation_ids = self.conversation_ids

        examples = self.examples

        first_half = self.first_half

        first_seen = self.first_seen.isoformat()

        intents = self.intents

        last_seen = self.last_seen.isoformat()

        second_half = self.second_half

        size = self.size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversation_ids": conversation_ids,
                "examples": examples,
                "first_half": first_half,
                "first_seen": first_seen,
                "intents": intents,
                "last_seen": last_seen,
                "second_half": second_half,
                "size": size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        conversation_ids = cast(list[str], d.pop("conversation_ids"))

        examples = cast(list[str], d.pop("examples"))

        first_half = d.pop("first_half")

        first_seen = datetime.datetime.fromisoformat(d.pop("first_seen"))

        intents = cast(list[str], d.pop("intents"))

        last_seen = datetime.datetime.fromisoformat(d.pop("last_seen"))

        second_half = d.pop("second_half")

        size = d.pop("size")

        unanswered_cluster = cls(
            conversation_ids=conversation_ids,
            examples=examples,
            first_half=first_half,
            first_seen=first_seen,
            intents=intents,
            last_seen=last_seen,
            second_half=second_half,
            size=size,
        )

        unanswered_cluster.additional_properties = d
        return unanswered_cluster

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
