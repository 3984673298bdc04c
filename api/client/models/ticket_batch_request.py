from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.ticket_batch_request_tickets_item import TicketBatchRequestTicketsItem


T = TypeVar("T", bound="TicketBatchRequest")


@_attrs_define
class TicketBatchRequest:
    """
    Attributes:
        tickets (list[TicketBatchRequestTicketsItem]): up to 1000 tickets (TicketIn, id required); validated one by one
    """

    tickets: list[TicketBatchRequestTicketsItem]

    def to_dict(self) -> dict[str, Any]:
        tickets = []
        for tickets_item_data in self.tickets:
            tickets_item = tickets_item_data.to_dict()
            tickets.append(tickets_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tickets": tickets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ticket_batch_request_tickets_item import (
            TicketBatchRequestTicketsItem,
        )

        d = dict(src_dict)
        tickets = []
        _tickets = d.pop("tickets")
        for tickets_item_data in _tickets:
            tickets_item = TicketBatchRequestTicketsItem.from_dict(tickets_item_data)

            tickets.append(tickets_item)

        ticket_batch_request = cls(
            tickets=tickets,
        )

        return ticket_batch_request
