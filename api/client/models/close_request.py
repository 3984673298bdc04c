from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.wrap_up_draft import WrapUpDraft


T = TypeVar("T", bound="CloseRequest")


@_attrs_define
class CloseRequest:
    """
    Attributes:
        reason (str | Unset):  Default: ''.
        wrapup (None | Unset | WrapUpDraft): the wrap-up as the agent edited it (GET .../wrapup proposes one); without
            it the proposal is saved. Agents and desk integrations only.
    """

    reason: str | Unset = ""
    wrapup: None | Unset | WrapUpDraft = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.wrap_up_draft import WrapUpDraft

        reason = self.reason

        wrapup: dict[str, Any] | None | Unset
        if isinstance(self.wrapup, Unset):
            wrapup = UNSET
        elif isinstance(self.wrapup, WrapUpDraft):
            wrapup = self.wrapup.to_dict()
        else:
            wrapup = self.wrapup

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if reason is not UNSET:
            field_dict["reason"] = reason
        if wrapup is not UNSET:
            field_dict["wrapup"] = wrapup

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.wrap_up_draft import WrapUpDraft

        d = dict(src_dict)
        reason = d.pop("reason", UNSET)

        def _parse_wrapup(data: object) -> None | Unset | WrapUpDraft:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                wrapup_type_0 = WrapUpDraft.from_dict(data)

                return wrapup_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WrapUpDraft, data)

        wrapup = _parse_wrapup(d.pop("wrapup", UNSET))

        close_request = cls(
            reason=reason,
            wrapup=wrapup,
        )

        return close_request
