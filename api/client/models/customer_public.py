from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_public_attributes import CustomerPublicAttributes


T = TypeVar("T", bound="CustomerPublic")


@_attrs_define
class CustomerPublic:
    """
    Attributes:
        email_opt_in (bool):
        id (str):
        marketing_opt_out (bool):
        name (str):
        sms_opt_in (bool):
        tier (str):
        attributes (CustomerPublicAttributes | Unset):
        city (None | str | Unset):
        country (None | str | Unset):
        customer_since (datetime.datetime | None | Unset):
        email (None | str | Unset):
        phone (None | str | Unset):
    """

    email_opt_in: bool
    id: str
    marketing_opt_out: bool
    name: str
    sms_opt_in: bool
    tier: str
    attributes: CustomerPublicAttributes | Unset = UNSET
    city: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    customer_since: datetime.datetime | None | Unset = UNSET
    email: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email_opt_in = self.email_opt_in

        id = self.id

        marketing_opt_out = self.marketing_opt_out

        name = self.name

        sms_opt_in = self.sms_opt_in

        tier = self.tier

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        city: None | str | Unset
        if isinstance(self.city, Unset):
            city = UNSET
        else:
            city = self.city

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        customer_since: None | str | Unset
        if isinstance(self.customer_since, Unset):
            customer_since = UNSET
        elif isinstance(self.customer_since, datetime.datetime):
            customer_since = self.customer_since.isoformat()
        else:
            customer_since = self.customer_since

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "email_opt_in": email_opt_in,
                "id": id,
                "marketing_opt_out": marketing_opt_out,
                "name": name,
                "sms_opt_in": sms_opt_in,
                "tier": tier,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if city is not UNSET:
            field_dict["city"] = city
        if country is not UNSET:
            field_dict["country"] = country
        if customer_since is not UNSET:
            field_dict["customer_since"] = customer_since
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_public_attributes import CustomerPublicAttributes

        d = dict(src_dict)
        email_opt_in = d.pop("email_opt_in")

        id = d.pop("id")

        marketing_opt_out = d.pop("marketing_opt_out")

        name = d.pop("name")

        sms_opt_in = d.pop("sms_opt_in")

        tier = d.pop("tier")

        _attributes = d.pop("attributes", UNSET)
        attributes: CustomerPublicAttributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = CustomerPublicAttributes.from_dict(_attributes)

        def _parse_city(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        city = _parse_city(d.pop("city", UNSET))

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))

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

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        customer_public = cls(
            email_opt_in=email_opt_in,
            id=id,
            marketing_opt_out=marketing_opt_out,
            name=name,
            sms_opt_in=sms_opt_in,
            tier=tier,
            attributes=attributes,
            city=city,
            country=country,
            customer_since=customer_since,
            email=email,
            phone=phone,
        )

        customer_public.additional_properties = d
        return customer_public

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
