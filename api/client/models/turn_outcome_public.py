from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.turn_outcome_public_state import TurnOutcomePublicState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.turn_analysis_out import TurnAnalysisOut
    from ..models.turn_public import TurnPublic


T = TypeVar("T", bound="TurnOutcomePublic")


@_attrs_define
class TurnOutcomePublic:
    """
    Attributes:
        analysis (None | TurnAnalysisOut): intent (+ranking), entities, sentiment; null if the classifier failed
        replies (list[TurnPublic]): bot or system messages for the customer
        state (TurnOutcomePublicState): ownership after this turn
        turn (TurnPublic):
        handoff_reason (None | str | Unset): set when this turn handed off
        replayed (bool | Unset): a retry of a message already stored Default: False.
    """

    analysis: None | TurnAnalysisOut
    replies: list[TurnPublic]
    state: TurnOutcomePublicState
    turn: TurnPublic
    handoff_reason: None | str | Unset = UNSET
    replayed: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.turn_analysis_out import TurnAnalysisOut

        analysis: dict[str, Any] | None
        if isinstance(self.analysis, TurnAnalysisOut):
            analysis = self.analysis.to_dict()
        else:
            analysis = self.analysis

        replies = []
        for replies_item_data in self.replies:
            replies_item = replies_item_data.to_dict()
            replies.append(replies_item)

        state = self.state.value

        turn = self.turn.to_dict()

        handoff_reason: None | str | Unset
        if isinstance(self.handoff_reason, Unset):
            handoff_reason = UNSET
        else:
            handoff_reason = self.handoff_reason

        replayed = self.replayed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "analysis": analysis,
                "replies": replies,
                "state": state,
                "turn": turn,
            }
        )
        if handoff_reason is not UNSET:
            field_dict["handoff_reason"] = handoff_reason
        if replayed is not UNSET:
            field_dict["replayed"] = replayed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.turn_analysis_out import TurnAnalysisOut
        from ..models.turn_public import TurnPublic

        d = dict(src_dict)

        def _parse_analysis(data: object) -> None | TurnAnalysisOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                analysis_type_0 = TurnAnalysisOut.from_dict(data)

                return analysis_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TurnAnalysisOut, data)

        analysis = _parse_analysis(d.pop("analysis"))

        replies = []
        _replies = d.pop("replies")
        for replies_item_data in _replies:
            replies_item = TurnPublic.from_dict(replies_item_data)

            replies.append(replies_item)

        state = TurnOutcomePublicState(d.pop("state"))

        turn = TurnPublic.from_dict(d.pop("turn"))

        def _parse_handoff_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        handoff_reason = _parse_handoff_reason(d.pop("handoff_reason", UNSET))

        replayed = d.pop("replayed", UNSET)

        turn_outcome_public = cls(
            analysis=analysis,
            replies=replies,
            state=state,
            turn=turn,
            handoff_reason=handoff_reason,
            replayed=replayed,
        )

        turn_outcome_public.additional_properties = d
        return turn_outcome_public

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
