from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.agent_create_role import AgentCreateRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentCreate")


@_attrs_define
class AgentCreate:
    """
    Attributes:
        agent_id (str):
        password (str):
        display_name (str | Unset):  Default: ''.
        role (AgentCreateRole | Unset):  Default: AgentCreateRole.AGENT.
    """

    agent_id: str
    password: str
    display_name: str | Unset = ""
    role: AgentCreateRole | Unset = AgentCreateRole.AGENT

    def to_dict(self) -> dict[str, Any]:
        agent_id = self.agent_id

        password = self.password

        display_name = self.display_name

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agent_id": agent_id,
                "password": password,
            }
        )
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        agent_id = d.pop("agent_id")

        password = d.pop("password")

        display_name = d.pop("display_name", UNSET)

        _role = d.pop("role", UNSET)
        role: AgentCreateRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = AgentCreateRole(_role)

        agent_create = cls(
            agent_id=agent_id,
            password=password,
            display_name=display_name,
            role=role,
        )

        return agent_create
