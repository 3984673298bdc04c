from __future__ import annotations

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
