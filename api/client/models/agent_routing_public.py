from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_routing_public_presence import AgentRoutingPublicPresence
from ..models.agent_routing_public_role import AgentRoutingPublicRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentRoutingPublic")


@_attrs_define
class AgentRoutingPublic:
    """
    Attributes:
        display_name (str):
        id (str):
        limit (int): concurrent chats allowed (own limit, else the setting)
        open_chats (int): conversations the agent owns now
        presence (AgentRoutingPublicPresence):
        role (AgentRoutingPublicRole):
        signed_in (bool): holds an unexpired session token
        skills (list[str]): the queues served; empty: every queue
        available (bool | Unset): online, signed in and seen within the presence timeout: counted in the expected wait,
            given chats by auto-assignment Default: False.
        last_seen_at (datetime.datetime | None | Unset): the agent's last authenticated request (UTC)
        queues (list[str] | Unset): every queue there is (GET /v1/agents/me/presence)
    """

    display_name: str
    id: str
    limit: int
    open_chats: int
    presence: AgentRoutingPublicPresence
    role: AgentRoutingPublicRole
    signed_in: bool
    skills: list[str]
    available: bool | Unset = False
    last_seen_at: datetime.datetime | None | Unset = UNSET
    queues: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        id = self.id

        limit = self.limit

        open_chats = self.open_chats

        presence = self.presence.value

        role = self.role.value

        signed_in = self.signed_in

        skills = self.skills

        available = self.available

        last_seen_at: None | str | Unset
        if isinstance(self.last_seen_at, Unset):
            last_seen_at = UNSET
        elif isinstance(self.last_seen_at, datetime.datetime):
            last_seen_at = self.last_seen_at.isoformat()
        else:
            last_seen_at = self.last_seen_at

        queues: list[str] | Unset = UNSET
        if not isinstance(self.queues, Unset):
            queues = self.queues

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "display_name": display_name,
                "id": id,
                "limit": limit,
                "open_chats": open_chats,
                "presence": presence,
                "role": role,
                "signed_in": signed_in,
                "skills": skills,
            }
        )
        if available is not UNSET:
            field_dict["available"] = available
        if last_seen_at is not UNSET:
            field_dict["last_seen_at"] = last_seen_at
        if queues is not UNSET:
            field_dict["queues"] = queues

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        display_name = d.pop("display_name")

        id = d.pop("id")

        limit = d.pop("limit")

        open_chats = d.pop("open_chats")

        presence = AgentRoutingPublicPresence(d.pop("presence"))

        role = AgentRoutingPublicRole(d.pop("role"))

        signed_in = d.pop("signed_in")

        skills = cast(list[str], d.pop("skills"))

        available = d.pop("available", UNSET)

        def _parse_last_seen_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_seen_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_seen_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_seen_at = _parse_last_seen_at(d.pop("last_seen_at", UNSET))

        queues = cast(list[str], d.pop("queues", UNSET))

        agent_routing_public = cls(
            display_name=display_name,
            id=id,
            limit=limit,
            open_chats=open_chats,
            presence=presence,
            role=role,
            signed_in=signed_in,
            skills=skills,
            available=available,
            last_seen_at=last_seen_at,
            queues=queues,
        )

        agent_routing_public.additional_properties = d
        return agent_routing_public

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
