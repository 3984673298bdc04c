from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="HistorySearchRequest")


@_attrs_define
class HistorySearchRequest:
    """
    Attributes:
        text (str): what to look for (e.g. the turn)
        k (int | Unset): at most this many of the customer's own events Default: 5.
    """

    text: str
    k: int | Unset = 5

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        k = self.k

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
            }
        )
        if k is not UNSET:
            field_dict["k"] = k

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        text = d.pop("text")

        k = d.pop("k", UNSET)

        history_search_request = cls(
            text=text,
            k=k,
        )

        return history_search_request
