from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_upsert_attributes import CustomerUpsertAttributes


T = TypeVar("T", bound="CustomerUpsert")


@_attrs_define
class CustomerUpsert:
    """
    Attributes:
        name (str):
        attributes (CustomerUpsertAttributes | Unset):
        city (None | str | Unset):
        country (None | str | Unset):
        customer_since (datetime.datetime | None | Unset):
        email (None | str | Unset):
        email_opt_in (bool | Unset):  Default: True.
        id (None | str | Unset): optional: the id in the path; when given it must be the same
        marketing_opt_out (bool | Unset):  Default: False.
        phone (None | str | Unset):
        sms_opt_in (bool | Unset):  Default: False.
        tier (str | Unset):  Default: 'standard'.
    """

    name: str
    attributes: CustomerUpsertAttributes | Unset = UNSET
    city: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    customer_since: datetime.datetime | None | Unset = UNSET
    email: None | str | Unset = UNSET
    email_opt_in: bool | Unset = True
    id: None | str | Unset = UNSET
    marketing_opt_out: bool | Unset = False
    phone: None | str | Unset = UNSET
    sms_opt_in: bool | Unset = False
    tier: str | Unset = "standard"

    def to_dict(self) -> dict[str, Any]:
        name = self.name

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

        email_opt_in = self.email_opt_in

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        marketing_opt_out = self.marketing_opt_out

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        sms_opt_in = self.sms_opt_in

        tier = self.tier

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
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
        if email_opt_in is not UNSET:
            field_dict["email_opt_in"] = email_opt_in
        if id is not UNSET:
            field_dict["id"] = id
        if marketing_opt_out is not UNSET:
            field_dict["marketing_opt_out"] = marketing_opt_out
        if phone is not UNSET:
            field_dict["phone"] = phone
        if sms_opt_in is not UNSET:
            field_dict["sms_opt_in"] = sms_opt_in
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_upsert_attributes import CustomerUpsertAttributes

        d = dict(src_dict)
        name = d.pop("name")

        _attributes = d.pop("attributes", UNSET)
        attributes: CustomerUpsertAttributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = CustomerUpsertAttributes.from_dict(_attributes)

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

        email_opt_in = d.pop("email_opt_in", UNSET)

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        marketing_opt_out = d.pop("marketing_opt_out", UNSET)

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        sms_opt_in = d.pop("sms_opt_in", UNSET)

        tier = d.pop("tier", UNSET)

        customer_upsert = cls(
            name=name,
            attributes=attributes,
            city=city,
            country=country,
            customer_since=customer_since,
            email=email,
            email_opt_in=email_opt_in,
            id=id,
            marketing_opt_out=marketing_opt_out,
            phone=phone,
            sms_opt_in=sms_opt_in,
            tier=tier,
        )

        return customer_upsert
