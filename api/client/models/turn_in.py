from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.turn_in_role import TurnInRole

T = TypeVar("T", bound="TurnIn")


@_attrs_define
class TurnIn:
    """
    Attributes:
        role (TurnInRole):
        text (str):
    """

    role: TurnInRole
    text: str

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        role = TurnInRole(d.pop("role"))

        text = d.pop("text")

        turn_in = cls(
            role=role,
            text=text,
        )

        return turn_in
