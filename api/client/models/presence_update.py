from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.presence_update_presence import PresenceUpdatePresence

T = TypeVar("T", bound="PresenceUpdate")


@_attrs_define
class PresenceUpdate:
    """
    Attributes:
        presence (PresenceUpdatePresence):
    """

    presence: PresenceUpdatePresence

    def to_dict(self) -> dict[str, Any]:
        presence = self.presence.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "presence": presence,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        presence = PresenceUpdatePresence(d.pop("presence"))

        presence_update = cls(
            presence=presence,
        )

        return presence_update
