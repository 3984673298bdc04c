from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agent_routing_public import AgentRoutingPublic
    from ..models.queue_view_public import QueueViewPublic


T = TypeVar("T", bound="SupervisorQueuesPublic")


@_attrs_define
class SupervisorQueuesPublic:
    """
    Attributes:
        agents (list[AgentRoutingPublic]):
        queues (list[QueueViewPublic]):
    """

    agents: list[AgentRoutingPublic]
    queues: list[QueueViewPublic]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agents = []
        for agents_item_data in self.agents:
            agents_item = agents_item_data.to_dict()
            agents.append(agents_item)

        queues = []
        for queues_item_data in self.queues:
            queues_item = queues_item_data.to_dict()
            queues.append(queues_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agents": agents,
                "queues": queues,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.agent_routing_public import AgentRoutingPublic
        from ..models.queue_view_public import QueueViewPublic

        d = dict(src_dict)
        agents = []
        _agents = d.pop("agents")
        for agents_item_data in _agents:
            agents_item = AgentRoutingPublic.from_dict(agents_item_data)

            agents.append(agents_item)

        queues = []
        _queues = d.pop("queues")
        for queues_item_data in _queues:
            queues_item = QueueViewPublic.from_dict(queues_item_data)

            queues.append(queues_item)

        supervisor_queues_public = cls(
            agents=agents,
            queues=queues,
        )

        supervisor_queues_public.additional_properties = d
        return supervisor_queues_public

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
