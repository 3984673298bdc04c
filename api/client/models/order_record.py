from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.order_line import OrderLine


T = TypeVar("T", bound="OrderRecord")


@_attrs_define
class OrderRecord:
    """An order as stored (`PUT /v1/orders/{id}` answers it).

    Attributes:
        currency (str):
        customer_id (str):
        id (str):
        placed_at (datetime.datetime):
        status (str):
        total (float):
        carrier (None | str | Unset):
        delivered_at (datetime.datetime | None | Unset):
        delivery_city (None | str | Unset):
        eta (datetime.datetime | None | Unset):
        items (list[OrderLine] | Unset):
        shipped_at (datetime.datetime | None | Unset):
        tracking_number (None | str | Unset):
        tracking_url (None | str | Unset):
    """

    currency: str
    customer_id: str
    id: str
    placed_at: datetime.datetime
    status: str
    total: float
    carrier: None | str | Unset = UNSET
    delivered_at: datetime.datetime | None | Unset = UNSET
    delivery_city: None | str | Unset = UNSET
    eta: datetime.datetime | None | Unset = UNSET
    items: list[OrderLine] | Unset = UNSET
    shipped_at: datetime.datetime | None | Unset = UNSET
    tracking_number: None | str | Unset = UNSET
    tracking_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        customer_id = self.customer_id

        id = self.id

        placed_at = self.placed_at.isoformat()

        status = self.status

        total = self.total

        carrier: None | str | Unset
        if isinstance(self.carrier, Unset):
            carrier = UNSET
        else:
            carrier = self.carrier

        delivered_at: None | str | Unset
        if isinstance(self.delivered_at, Unset):
            delivered_at = UNSET
        elif isinstance(self.delivered_at, datetime.datetime):
            delivered_at = self.delivered_at.isoformat()
        else:
            delivered_at = self.delivered_at

        delivery_city: None | str | Unset
        if isinstance(self.delivery_city, Unset):
            delivery_city = UNSET
        else:
            delivery_city = self.delivery_city

        eta: None | str | Unset
        if isinstance(self.eta, Unset):
            eta = UNSET
        elif isinstance(self.eta, datetime.datetime):
            eta = self.eta.isoformat()
        else:
            eta = self.eta

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        shipped_at: None | str | Unset
        if isinstance(self.shipped_at, Unset):
            shipped_at = UNSET
        elif isinstance(self.shipped_at, datetime.datetime):
            shipped_at = self.shipped_at.isoformat()
        else:
            shipped_at = self.shipped_at

        tracking_number: None | str | Unset
        if isinstance(self.tracking_number, Unset):
            tracking_number = UNSET
        else:
            tracking_number = self.tracking_number

        tracking_url: None | str | Unset
        if isinstance(self.tracking_url, Unset):
            tracking_url = UNSET
        else:
            tracking_url = self.tracking_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "customer_id": customer_id,
                "id": id,
                "placed_at": placed_at,
                "status": status,
                "total": total,
            }
        )
        if carrier is not UNSET:
            field_dict["carrier"] = carrier
        if delivered_at is not UNSET:
            field_dict["delivered_at"] = delivered_at
        if delivery_city is not UNSET:
            field_dict["delivery_city"] = delivery_city
        if eta is not UNSET:
            field_dict["eta"] = eta
        if items is not UNSET:
            field_dict["items"] = items
        if shipped_at is not UNSET:
            field_dict["shipped_at"] = shipped_at
        if tracking_number is not UNSET:
            field_dict["tracking_number"] = tracking_number
        if tracking_url is not UNSET:
            field_dict["tracking_url"] = tracking_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_line import OrderLine

        d = dict(src_dict)
        currency = d.pop("currency")

        customer_id = d.pop("customer_id")

        id = d.pop("id")

        placed_at = datetime.datetime.fromisoformat(d.pop("placed_at"))

        status = d.pop("status")

        total = d.pop("total")

        def _parse_carrier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier = _parse_carrier(d.pop("carrier", UNSET))

        def _parse_delivered_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivered_at_type_0 = datetime.datetime.fromisoformat(data)

                return delivered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at", UNSET))

        def _parse_delivery_city(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        delivery_city = _parse_delivery_city(d.pop("delivery_city", UNSET))

        def _parse_eta(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                eta_type_0 = datetime.datetime.fromisoformat(data)

                return eta_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        eta = _parse_eta(d.pop("eta", UNSET))

        _items = d.pop("items", UNSET)
        items: list[OrderLine] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = OrderLine.from_dict(items_item_data)

                items.append(items_item)

        def _parse_shipped_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                shipped_at_type_0 = datetime.datetime.fromisoformat(data)

                return shipped_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        shipped_at = _parse_shipped_at(d.pop("shipped_at", UNSET))

        def _parse_tracking_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tracking_number = _parse_tracking_number(d.pop("tracking_number", UNSET))

        def _parse_tracking_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tracking_url = _parse_tracking_url(d.pop("tracking_url", UNSET))

        order_record = cls(
            currency=currency,
            customer_id=customer_id,
            id=id,
            placed_at=placed_at,
            status=status,
            total=total,
            carrier=carrier,
            delivered_at=delivered_at,
            delivery_city=delivery_city,
            eta=eta,
            items=items,
            shipped_at=shipped_at,
            tracking_number=tracking_number,
            tracking_url=tracking_url,
        )

        order_record.additional_properties = d
        return order_record

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
