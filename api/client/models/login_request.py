from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LoginRequest")


@_attrs_define
class LoginRequest:
    """
    Attributes:
        agent_id (str):
        password (str):
    """

    agent_id: str
    password: str

    def to_dict(self) -> dict[str, Any]:
        agent_id = self.agent_id

        password = self.password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agent_id": agent_id,
                "password": password,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        agent_id = d.pop("agent_id")

        password = d.pop("password")

        login_request = cls(
            agent_id=agent_id,
            password=password,
        )

        return login_request
