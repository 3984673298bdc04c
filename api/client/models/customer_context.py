from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.interaction import Interaction
    from ..models.order_view import OrderView
    from ..models.sentiment_trend import SentimentTrend
    from ..models.ticket_view import TicketView


T = TypeVar("T", bound="CustomerContext")


@_attrs_define
class CustomerContext:
    """
    Attributes:
        customer_id (None | str):
        lifetime_value (float):
        marketing_opt_out (bool):
        name (None | str):
        orders_count (int):
        sentiment (SentimentTrend):
        tier (None | str):
        customer_since (datetime.datetime | None | Unset):
        last_interactions (list[Interaction] | Unset): one per channel, newest first
        open_orders (list[OrderView] | Unset):
        open_tickets (list[TicketView] | Unset):
        summary (str | Unset): one line for the panel header Default: ''.
    """

    customer_id: None | str
    lifetime_value: float
    marketing_opt_out: bool
    name: None | str
    orders_count: int
    sentiment: SentimentTrend
    tier: None | str
    customer_since: datetime.datetime | None | Unset = UNSET
    last_interactions: list[Interaction] | Unset = UNSET
    open_orders: list[OrderView] | Unset = UNSET
    open_tickets: list[TicketView] | Unset = UNSET
    summary: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id: None | str
        customer_id = self.customer_id

        lifetime_value = self.lifetime_value

        marketing_opt_out = self.marketing_opt_out

        name: None | str
        name = self.name

        orders_count = self.orders_count

        sentiment = self.sentiment.to_dict()

        tier: None | str
        tier = self.tier

        customer_since: None | str | Unset
        if isinstance(self.customer_since, Unset):
            customer_since = UNSET
        elif isinstance(self.customer_since, datetime.datetime):
            customer_since = self.customer_since.isoformat()
        else:
            customer_since = self.customer_since

        last_interactions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.last_interactions, Unset):
            last_interactions = []
            for last_interactions_item_data in self.last_interactions:
                last_interactions_item = last_interactions_item_data.to_dict()
                last_interactions.append(last_interactions_item)

        open_orders: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.open_orders, Unset):
            open_orders = []
            for open_orders_item_data in self.open_orders:
                open_orders_item = open_orders_item_data.to_dict()
                open_orders.append(open_orders_item)

        open_tickets: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.open_tickets, Unset):
            open_tickets = []
            for open_tickets_item_data in self.open_tickets:
                open_tickets_item = open_tickets_item_data.to_dict()
                open_tickets.append(open_tickets_item)

        summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "lifetime_value": lifetime_value,
                "marketing_opt_out": marketing_opt_out,
                "name": name,
                "orders_count": orders_count,
                "sentiment": sentiment,
                "tier": tier,
            }
        )
        if customer_since is not UNSET:
            field_dict["customer_since"] = customer_since
        if last_interactions is not UNSET:
            field_dict["last_interactions"] = last_interactions
        if open_orders is not UNSET:
            field_dict["open_orders"] = open_orders
        if open_tickets is not UNSET:
            field_dict["open_tickets"] = open_tickets
        if summary is not UNSET:
            field_dict["summary"] = summary

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.interaction import Interaction
        from ..models.order_view import OrderView
        from ..models.sentiment_trend import SentimentTrend
        from ..models.ticket_view import TicketView

        d = dict(src_dict)

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        lifetime_value = d.pop("lifetime_value")

        marketing_opt_out = d.pop("marketing_opt_out")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        orders_count = d.pop("orders_count")

        sentiment = SentimentTrend.from_dict(d.pop("sentiment"))

        def _parse_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tier = _parse_tier(d.pop("tier"))

        def _parse_customer_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_since_type_0 = datetime.datetime.fromisoformat(data)

                return customer_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        customer_since = _parse_customer_since(d.pop("customer_since", UNSET))

        _last_interactions = d.pop("last_interactions", UNSET)
        last_interactions: list[Interaction] | Unset = UNSET
        if _last_interactions is not UNSET:
            last_interactions = []
            for last_interactions_item_data in _last_interactions:
                last_interactions_item = Interaction.from_dict(
                    last_interactions_item_data
                )

                last_interactions.append(last_interactions_item)

        _open_orders = d.pop("open_orders", UNSET)
        open_orders: list[OrderView] | Unset = UNSET
        if _open_orders is not UNSET:
            open_orders = []
            for open_orders_item_data in _open_orders:
                open_orders_item = OrderView.from_dict(open_orders_item_data)

                open_orders.append(open_orders_item)

        _open_tickets = d.pop("open_tickets", UNSET)
        open_tickets: list[TicketView] | Unset = UNSET
        if _open_tickets is not UNSET:
            open_tickets = []
            for open_tickets_item_data in _open_tickets:
                open_tickets_item = TicketView.from_dict(open_tickets_item_data)

                open_tickets.append(open_tickets_item)

        summary = d.pop("summary", UNSET)

        customer_context = cls(
            customer_id=customer_id,
            lifetime_value=lifetime_value,
            marketing_opt_out=marketing_opt_out,
            name=name,
            orders_count=orders_count,
            sentiment=sentiment,
            tier=tier,
            customer_since=customer_since,
            last_interactions=last_interactions,
            open_orders=open_orders,
            open_tickets=open_tickets,
            summary=summary,
        )

        customer_context.additional_properties = d
        return customer_context

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
