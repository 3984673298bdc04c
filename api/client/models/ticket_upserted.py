from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ticket_upserted_status import TicketUpsertedStatus

if TYPE_CHECKING:
    from ..models.ticket_public import TicketPublic


T = TypeVar("T", bound="TicketUpserted")


@_attrs_define
class TicketUpserted:
    """
    Attributes:
        status (TicketUpsertedStatus): created (201), updated or unchanged (the same record was already stored)
        ticket (TicketPublic):
    """

    status: TicketUpsertedStatus
    ticket: TicketPublic
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        ticket = self.ticket.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "ticket": ticket,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ticket_public import TicketPublic

        d = dict(src_dict)
        status = TicketUpsertedStatus(d.pop("status"))

        ticket = TicketPublic.from_dict(d.pop("ticket"))

        ticket_upserted = cls(
            status=status,
            ticket=ticket,
        )

        ticket_upserted.additional_properties = d
        return ticket_upserted

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
