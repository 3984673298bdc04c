from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="QueueStatusPublic")


@_attrs_define
class QueueStatusPublic:
    """
    Attributes:
        position (int): 1: next to be taken by a person
        wait_s (float): seconds since this conversation was queued
        waiting (int): conversations waiting for a person in all
        expected_wait_s (float | None | Unset): an estimate of the seconds still to wait: the median hand-off -> claim
            wait of recent claims x position / agents who claimed recently; null without recent claims
    """

    position: int
    wait_s: float
    waiting: int
    expected_wait_s: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        position = self.position

        wait_s = self.wait_s

        waiting = self.waiting

        expected_wait_s: float | None | Unset
        if isinstance(self.expected_wait_s, Unset):
            expected_wait_s = UNSET
        else:
            expected_wait_s = self.expected_wait_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "position": position,
                "wait_s": wait_s,
                "waiting": waiting,
            }
        )
        if expected_wait_s is not UNSET:
            field_dict["expected_wait_s"] = expected_wait_s

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        position = d.pop("position")

        wait_s = d.pop("wait_s")

        waiting = d.pop("waiting")

        def _parse_expected_wait_s(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        expected_wait_s = _parse_expected_wait_s(d.pop("expected_wait_s", UNSET))

        queue_status_public = cls(
            position=position,
            wait_s=wait_s,
            waiting=waiting,
            expected_wait_s=expected_wait_s,
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
