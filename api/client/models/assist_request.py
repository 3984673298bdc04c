from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.assist_request_language_type_0 import AssistRequestLanguageType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.turn_in import TurnIn


T = TypeVar("T", bound="AssistRequest")


@_attrs_define
class AssistRequest:
    """
    Attributes:
        turns (list[TurnIn]): recent turns, oldest first; the last customer turn is the one assisted
        customer_id (None | str | Unset): null: anonymous
        language (AssistRequestLanguageType0 | None | Unset): the language of the suggested replies and knowledge (en /
            zh); default: the customer's, i.e. the script of their latest turn that has letters
    """

    turns: list[TurnIn]
    customer_id: None | str | Unset = UNSET
    language: AssistRequestLanguageType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        turns = []
        for turns_item_data in self.turns:
            turns_item = turns_item_data.to_dict()
            turns.append(turns_item)

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, AssistRequestLanguageType0):
            language = self.language.value
        else:
            language = self.language

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "turns": turns,
            }
        )
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.turn_in import TurnIn

        d = dict(src_dict)
        turns = []
        _turns = d.pop("turns")
        for turns_item_data in _turns:
            turns_item = TurnIn.from_dict(turns_item_data)

            turns.append(turns_item)

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        def _parse_language(data: object) -> AssistRequestLanguageType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = AssistRequestLanguageType0(data)

                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssistRequestLanguageType0 | None | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        assist_request = cls(
            turns=turns,
            customer_id=customer_id,
            language=language,
        )

        return assist_request
