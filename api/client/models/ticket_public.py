from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TicketPublic")


@_attrs_define
class TicketPublic:
    """
    Attributes:
        channel (str):
        customer_id (str):
        id (str):
        opened_at (datetime.datetime):
        priority (str):
        status (str):
        summary (str): as stored: personal data redacted
        topic (str):
        order_id (None | str | Unset):
        updated_at (datetime.datetime | None | Unset):
    """

    channel: str
    customer_id: str
    id: str
    opened_at: datetime.datetime
    priority: str
    status: str
    summary: str
    topic: str
    order_id: None | str | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        customer_id = self.customer_id

        id = self.id

        opened_at = self.opened_at.isoformat()

        priority = self.priority

        status = self.status

        summary = self.summary

        topic = self.topic

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "customer_id": customer_id,
                "id": id,
                "opened_at": opened_at,
                "priority": priority,
                "status": status,
                "summary": summary,
                "topic": topic,
            }
        )
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        channel = d.pop("channel")

        customer_id = d.pop("customer_id")

        id = d.pop("id")

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        priority = d.pop("priority")

        status = d.pop("status")

        summary = d.pop("summary")

        topic = d.pop("topic")

        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        ticket_public = cls(
            channel=channel,
            customer_id=customer_id,
            id=id,
            opened_at=opened_at,
            priority=priority,
            status=status,
            summary=summary,
            topic=topic,
            order_id=order_id,
            updated_at=updated_at,
        )

        ticket_public.additional_properties = d
        return ticket_public

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
