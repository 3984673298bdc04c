from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QueueStatusPublic")


@_attrs_define
class QueueStatusPublic:
    """
    Attributes:
        position (int): 1: next to be taken by a person
        wait_s (float): seconds since this conversation was queued
        waiting (int): conversations waiting for a person in all
    """

    position: int
    wait_s: float
    waiting: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        position = self.position

        wait_s = self.wait_s

        waiting = self.waiting

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "position": position,
                "wait_s": wait_s,
                "waiting": waiting,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        position = d.pop("position")

        wait_s = d.pop("wait_s")

        waiting = d.pop("waiting")

        queue_status_public = cls(
            position=position,
            wait_s=wait_s,
            waiting=waiting,
        )

        queue_status_public.additional_properties = d
        return queue_status_public

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
