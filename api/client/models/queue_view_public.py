from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.waiting_public import WaitingPublic


T = TypeVar("T", bound="QueueViewPublic")


@_attrs_define
class QueueViewPublic:
    """
    Attributes:
        agents_online (int): signed in, online and serving this queue
        name (str):
        waiting (list[WaitingPublic]): the next to serve first
    """

    agents_online: int
    name: str
    waiting: list[WaitingPublic]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agents_online = self.agents_online

        name = self.name

        waiting = []
        for waiting_item_data in self.waiting:
            waiting_item = waiting_item_data.to_dict()
            waiting.append(waiting_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agents_online": agents_online,
                "name": name,
                "waiting": waiting,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.waiting_public import WaitingPublic

        d = dict(src_dict)
        agents_online = d.pop("agents_online")

        name = d.pop("name")

        waiting = []
        _waiting = d.pop("waiting")
        for waiting_item_data in _waiting:
            waiting_item = WaitingPublic.from_dict(waiting_item_data)

            waiting.append(waiting_item)

        queue_view_public = cls(
            agents_online=agents_online,
            name=name,
            waiting=waiting,
        )

        queue_view_public.additional_properties = d
        return queue_view_public

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
