from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Evidence")


@_attrs_define
class Evidence:
    """
    Attributes:
        kind (str): intent (the current turn), dialogue (an earlier turn of this chat), past_chat (an earlier
            conversation), event (other history) or state
        name (str): intent label, event type or state name
        stage (str): the stage it supports
        weight (float):
        ref (None | str | Unset): event / order / ticket id
        text (None | str | Unset): short description for the agent
        ts (datetime.datetime | None | Unset):
    """

    kind: str
    name: str
    stage: str
    weight: float
    ref: None | str | Unset = UNSET
    text: None | str | Unset = UNSET
    ts: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        name = self.name

        stage = self.stage

        weight = self.weight

        ref: None | str | Unset
        if isinstance(self.ref, Unset):
            ref = UNSET
        else:
            ref = self.ref

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        ts: None | str | Unset
        if isinstance(self.ts, Unset):
            ts = UNSET
        elif isinstance(self.ts, datetime.datetime):
            ts = self.ts.isoformat()
        else:
            ts = self.ts

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "name": name,
                "stage": stage,
                "weight": weight,
            }
        )
        if ref is not UNSET:
            field_dict["ref"] = ref
        if text is not UNSET:
            field_dict["text"] = text
        if ts is not UNSET:
            field_dict["ts"] = ts

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = d.pop("kind")

        name = d.pop("name")

        stage = d.pop("stage")

        weight = d.pop("weight")

        def _parse_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ref = _parse_ref(d.pop("ref", UNSET))

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        def _parse_ts(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ts_type_0 = datetime.datetime.fromisoformat(data)

                return ts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ts = _parse_ts(d.pop("ts", UNSET))

        evidence = cls(
            kind=kind,
            name=name,
            stage=stage,
            weight=weight,
            ref=ref,
            text=text,
            ts=ts,
        )

        evidence.additional_properties = d
        return evidence

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
