from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.interaction import Interaction
    from ..models.journey_stage import JourneyStage
    from ..models.order_view import OrderView
    from ..models.sentiment_trend import SentimentTrend
    from ..models.suppression_reason import SuppressionReason
    from ..models.ticket_view import TicketView


T = TypeVar("T", bound="CustomerContextPublic")


@_attrs_define
class CustomerContextPublic:
    """`GET /v1/customers/{id}/context`: the context with the journey stage it supports,
    and whether marketing may reach the customer now.

        Attributes:
            customer_id (None | str):
            lifetime_value (float):
            marketing_allowed (bool):
            marketing_opt_out (bool):
            name (None | str):
            orders_count (int):
            sentiment (SentimentTrend):
            stage (JourneyStage):
            tier (None | str):
            customer_since (datetime.datetime | None | Unset):
            last_interactions (list[Interaction] | Unset): one per channel, newest first
            marketing_until (datetime.datetime | None | Unset): when marketing is allowed again if nothing new happens; null
                when allowed, or when a reason has no end of its own (consent, open ticket, stage)
            open_orders (list[OrderView] | Unset):
            open_tickets (list[TicketView] | Unset):
            summary (str | Unset): one line for the panel header Default: ''.
            suppression_reasons (list[SuppressionReason] | Unset): why marketing is suppressed now
    """

    customer_id: None | str
    lifetime_value: float
    marketing_allowed: bool
    marketing_opt_out: bool
    name: None | str
    orders_count: int
    sentiment: SentimentTrend
    stage: JourneyStage
    tier: None | str
    customer_since: datetime.datetime | None | Unset = UNSET
    last_interactions: list[Interaction] | Unset = UNSET
    marketing_until: datetime.datetime | None | Unset = UNSET
    open_orders: list[OrderView] | Unset = UNSET
    open_tickets: list[TicketView] | Unset = UNSET
    summary: str | Unset = ""
    suppression_reasons: list[SuppressionReason] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id: None | str
        customer_id = self.customer_id

        lifetime_value = self.lifetime_value

        marketing_allowed = self.marketing_allowed

        marketing_opt_out = self.marketing_opt_out

        name: None | str
        name = self.name

        orders_count = self.orders_count

        sentiment = self.sentiment.to_dict()

        stage = self.stage.to_dict()

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

        marketing_until: None | str | Unset
        if isinstance(self.marketing_until, Unset):
            marketing_until = UNSET
        elif isinstance(self.marketing_until, datetime.datetime):
            marketing_until = self.marketing_until.isoformat()
        else:
            marketing_until = self.marketing_until

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

        suppression_reasons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.suppression_reasons, Unset):
            suppression_reasons = []
            for suppression_reasons_item_data in self.suppression_reasons:
                suppression_reasons_item = suppression_reasons_item_data.to_dict()
                suppression_reasons.append(suppression_reasons_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "lifetime_value": lifetime_value,
                "marketing_allowed": marketing_allowed,
                "marketing_opt_out": marketing_opt_out,
                "name": name,
                "orders_count": orders_count,
                "sentiment": sentiment,
                "stage": stage,
                "tier": tier,
            }
        )
        if customer_since is not UNSET:
            field_dict["customer_since"] = customer_since
        if last_interactions is not UNSET:
            field_dict["last_interactions"] = last_interactions
        if marketing_until is not UNSET:
            field_dict["marketing_until"] = marketing_until
        if open_orders is not UNSET:
            field_dict["open_orders"] = open_orders
        if open_tickets is not UNSET:
            field_dict["open_tickets"] = open_tickets
        if summary is not UNSET:
            field_dict["summary"] = summary
        if suppression_reasons is not UNSET:
            field_dict["suppression_reasons"] = suppression_reasons

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.interaction import Interaction
        from ..models.journey_stage import JourneyStage
        from ..models.order_view import OrderView
        from ..models.sentiment_trend import SentimentTrend
        from ..models.suppression_reason import SuppressionReason
        from ..models.ticket_view import TicketView

        d = dict(src_dict)

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        lifetime_value = d.pop("lifetime_value")

        marketing_allowed = d.pop("marketing_allowed")

        marketing_opt_out = d.pop("marketing_opt_out")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        orders_count = d.pop("orders_count")

        sentiment = SentimentTrend.from_dict(d.pop("sentiment"))

        stage = JourneyStage.from_dict(d.pop("stage"))

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

        def _parse_marketing_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                marketing_until_type_0 = datetime.datetime.fromisoformat(data)

                return marketing_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        marketing_until = _parse_marketing_until(d.pop("marketing_until", UNSET))

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

        _suppression_reasons = d.pop("suppression_reasons", UNSET)
        suppression_reasons: list[SuppressionReason] | Unset = UNSET
        if _suppression_reasons is not UNSET:
            suppression_reasons = []
            for suppression_reasons_item_data in _suppression_reasons:
                suppression_reasons_item = SuppressionReason.from_dict(
                    suppression_reasons_item_data
                )

                suppression_reasons.append(suppression_reasons_item)

        customer_context_public = cls(
            customer_id=customer_id,
            lifetime_value=lifetime_value,
            marketing_allowed=marketing_allowed,
            marketing_opt_out=marketing_opt_out,
            name=name,
            orders_count=orders_count,
            sentiment=sentiment,
            stage=stage,
            tier=tier,
            customer_since=customer_since,
            last_interactions=last_interactions,
            marketing_until=marketing_until,
            open_orders=open_orders,
            open_tickets=open_tickets,
            summary=summary,
            suppression_reasons=suppression_reasons,
        )

        customer_context_public.additional_properties = d
        return customer_context_public

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
