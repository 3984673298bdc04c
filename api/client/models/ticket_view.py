from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TicketView")


@_attrs_define
class TicketView:
    """
    Attributes:
        id (str):
        opened_at (datetime.datetime):
        priority (str):
        status (str):
        summary (str):
        topic (str):
    """

    id: str
    opened_at: datetime.datetime
    priority: str
    status: str
    summary: str
    topic: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        opened_at = self.opened_at.isoformat()

        priority = self.priority

        status = self.status

        summary = self.summary

        topic = self.topic

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "opened_at": opened_at,
                "priority": priority,
                "status": status,
                "summary": summary,
                "topic": topic,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        priority = d.pop("priority")

        status = d.pop("status")

        summary = d.pop("summary")

        topic = d.pop("topic")

        ticket_view = cls(
            id=id,
            opened_at=opened_at,
            priority=priority,
            status=status,
            summary=summary,
            topic=topic,
        )

        ticket_view.additional_properties = d
        return ticket_view

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
