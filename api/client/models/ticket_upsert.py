from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.ticket_upsert_channel import TicketUpsertChannel
from ..models.ticket_upsert_priority import TicketUpsertPriority
from ..models.ticket_upsert_status import TicketUpsertStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="TicketUpsert")


@_attrs_define
class TicketUpsert:
    """
    Attributes:
        customer_id (str):
        opened_at (datetime.datetime):
        topic (str):
        channel (TicketUpsertChannel | Unset):  Default: TicketUpsertChannel.PHONE.
        id (None | str | Unset): optional: the id in the path; when given it must be the same
        order_id (None | str | Unset):
        priority (TicketUpsertPriority | Unset):  Default: TicketUpsertPriority.NORMAL.
        status (TicketUpsertStatus | Unset):  Default: TicketUpsertStatus.OPEN.
        summary (str | Unset):  Default: ''.
        updated_at (datetime.datetime | None | Unset):
    """

    customer_id: str
    opened_at: datetime.datetime
    topic: str
    channel: TicketUpsertChannel | Unset = TicketUpsertChannel.PHONE
    id: None | str | Unset = UNSET
    order_id: None | str | Unset = UNSET
    priority: TicketUpsertPriority | Unset = TicketUpsertPriority.NORMAL
    status: TicketUpsertStatus | Unset = TicketUpsertStatus.OPEN
    summary: str | Unset = ""
    updated_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        opened_at = self.opened_at.isoformat()

        topic = self.topic

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        summary = self.summary

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "opened_at": opened_at,
                "topic": topic,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if id is not UNSET:
            field_dict["id"] = id
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if priority is not UNSET:
            field_dict["priority"] = priority
        if status is not UNSET:
            field_dict["status"] = status
        if summary is not UNSET:
            field_dict["summary"] = summary
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        topic = d.pop("topic")

        _channel = d.pop("channel", UNSET)
        channel: TicketUpsertChannel | Unset
        if isinstance(_channel, Unset):
            channel = UNSET
        else:
            channel = TicketUpsertChannel(_channel)

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))

        _priority = d.pop("priority", UNSET)
        priority: TicketUpsertPriority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = TicketUpsertPriority(_priority)

        _status = d.pop("status", UNSET)
        status: TicketUpsertStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = TicketUpsertStatus(_status)

        summary = d.pop("summary", UNSET)

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

        ticket_upsert = cls(
            customer_id=customer_id,
            opened_at=opened_at,
            topic=topic,
            channel=channel,
            id=id,
            order_id=order_id,
            priority=priority,
            status=status,
            summary=summary,
            updated_at=updated_at,
        )

        return ticket_upsert
