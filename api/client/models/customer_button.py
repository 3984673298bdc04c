from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CustomerButton")


@_attrs_define
class CustomerButton:
    """
    Attributes:
        payload (str):
        title (str):
    """

    payload: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        payload = self.payload

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "payload": payload,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        payload = d.pop("payload")

        title = d.pop("title")

        customer_button = cls(
            payload=payload,
            title=title,
        )

        return customer_button
