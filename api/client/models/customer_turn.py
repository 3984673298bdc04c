from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.customer_turn_role import CustomerTurnRole
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_button import CustomerButton


T = TypeVar("T", bound="CustomerTurn")


@_attrs_define
class CustomerTurn:
    """A turn as the customer may see it: no intent, entities, sentiment or reasons.

    Attributes:
        id (str):
        role (CustomerTurnRole):
        text (str):
        ts (datetime.datetime):
        buttons (list[CustomerButton] | Unset):
    """

    id: str
    role: CustomerTurnRole
    text: str
    ts: datetime.datetime
    buttons: list[CustomerButton] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        role = self.role.value

        text = self.text

        ts = self.ts.isoformat()

        buttons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.buttons, Unset):
            buttons = []
            for buttons_item_data in self.buttons:
                buttons_item = buttons_item_data.to_dict()
                buttons.append(buttons_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "role": role,
                "text": text,
                "ts": ts,
            }
        )
        if buttons is not UNSET:
            field_dict["buttons"] = buttons

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_button import CustomerButton

        d = dict(src_dict)
        id = d.pop("id")

        role = CustomerTurnRole(d.pop("role"))

        text = d.pop("text")

        ts = datetime.datetime.fromisoformat(d.pop("ts"))

        _buttons = d.pop("buttons", UNSET)
        buttons: list[CustomerButton] | Unset = UNSET
        if _buttons is not UNSET:
            buttons = []
            for buttons_item_data in _buttons:
                buttons_item = CustomerButton.from_dict(buttons_item_data)

                buttons.append(buttons_item)

        customer_turn = cls(
            id=id,
            role=role,
            text=text,
            ts=ts,
            buttons=buttons,
        )

        return customer_turn
