from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ApiKeyInfoPublic")


@_attrs_define
class ApiKeyInfoPublic:
    """
    Attributes:
        created_at (datetime.datetime):
        id (str):
        name (str):
        revoked (bool):
        scopes (list[str]):
    """

    created_at: datetime.datetime
    id: str
    name: str
    revoked: bool
    scopes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = self.id

        name = self.name

        revoked = self.revoked

        scopes = self.scopes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "name": name,
                "revoked": revoked,
                "scopes": scopes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        name = d.pop("name")

        revoked = d.pop("revoked")

        scopes = cast(list[str], d.pop("scopes"))

        api_key_info_public = cls(
            created_at=created_at,
            id=id,
            name=name,
            revoked=revoked,
            scopes=scopes,
        )

        api_key_info_public.additional_properties = d
        return api_key_info_public

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
