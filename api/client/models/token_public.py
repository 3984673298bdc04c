from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.token_public_role import TokenPublicRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenPublic")


@_attrs_define
class TokenPublic:
    """
    Attributes:
        access_token (str):
        agent_id (str):
        expires_in (int): seconds
        role (TokenPublicRole):
        token_type (str | Unset):  Default: 'bearer'.
    """

    access_token: str
    agent_id: str
    expires_in: int
    role: TokenPublicRole
    token_type: str | Unset = "bearer"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        agent_id = self.agent_id

        expires_in = self.expires_in

        role = self.role.value

        token_type = self.token_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_token": access_token,
                "agent_id": agent_id,
                "expires_in": expires_in,
                "role": role,
            }
        )
        if token_type is not UNSET:
            field_dict["token_type"] = token_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        agent_id = d.pop("agent_id")

        expires_in = d.pop("expires_in")

        role = TokenPublicRole(d.pop("role"))

        token_type = d.pop("token_type", UNSET)

        token_public = cls(
            access_token=access_token,
            agent_id=agent_id,
            expires_in=expires_in,
            role=role,
            token_type=token_type,
        )

        token_public.additional_properties = d
        return token_public

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
