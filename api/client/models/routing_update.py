from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RoutingUpdate")


@_attrs_define
class RoutingUpdate:
    """An admin sets an agent's skills (queue names; [] = every queue) and/or their
    limit of concurrent chats (null: the setting AGENT_ASSIST_AGENT_MAX_CHATS).

        Attributes:
            default_limit (bool | Unset): true: drop the agent's own limit Default: False.
            max_chats (int | None | Unset):
            skills (list[str] | None | Unset):
    """

    default_limit: bool | Unset = False
    max_chats: int | None | Unset = UNSET
    skills: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        default_limit = self.default_limit

        max_chats: int | None | Unset
        if isinstance(self.max_chats, Unset):
            max_chats = UNSET
        else:
            max_chats = self.max_chats

        skills: list[str] | None | Unset
        if isinstance(self.skills, Unset):
            skills = UNSET
        elif isinstance(self.skills, list):
            skills = self.skills

        else:
            skills = self.skills

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if default_limit is not UNSET:
            field_dict["default_limit"] = default_limit
        if max_chats is not UNSET:
            field_dict["max_chats"] = max_chats
        if skills is not UNSET:
            field_dict["skills"] = skills

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        default_limit = d.pop("default_limit", UNSET)

        def _parse_max_chats(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_chats = _parse_max_chats(d.pop("max_chats", UNSET))

        def _parse_skills(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                skills_type_0 = cast(list[str], data)

                return skills_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        skills = _parse_skills(d.pop("skills", UNSET))

        routing_update = cls(
            default_limit=default_limit,
            max_chats=max_chats,
            skills=skills,
        )

        return routing_update
