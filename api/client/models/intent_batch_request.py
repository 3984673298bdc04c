from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="IntentBatchRequest")


@_attrs_define
class IntentBatchRequest:
    """
    Attributes:
        texts (list[str]): customer turns (limit: settings.max_batch)
    """

    texts: list[str]

    def to_dict(self) -> dict[str, Any]:
        texts = self.texts

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "texts": texts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        texts = cast(list[str], d.pop("texts"))

        intent_batch_request = cls(
            texts=texts,
        )

        return intent_batch_request
