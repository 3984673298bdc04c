from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.feedback_create_action import FeedbackCreateAction
from ..models.feedback_create_kind import FeedbackCreateKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="FeedbackCreate")


@_attrs_define
class FeedbackCreate:
    """
    Attributes:
        action (FeedbackCreateAction):
        kind (FeedbackCreateKind):
        conversation_id (None | str | Unset):
        corrected_intent (None | str | Unset): one of the model's labels (GET /v1/intent/model)
        edited_text (None | str | Unset):
        position (int | None | Unset): kind suggestion: the suggestion's `position` as served
        predicted_intent (None | str | Unset): default: the turn's intent
        propensity (float | None | Unset): kind suggestion: the suggestion's `propensity` as served (with `position`, it
            lets a replay of the log estimate another ranking without bias)
        rating (int | None | Unset): kind rating: the customer's 1-5 rating (the bot asks)
        resolved (bool | None | Unset): kind rating: the customer says it is solved
        suggestion_id (None | str | Unset):
        suggestion_text (None | str | Unset):
        text (None | str | Unset): the customer's text (default: the turn's)
        turn_id (None | str | Unset): the turn it is about
    """

    action: FeedbackCreateAction
    kind: FeedbackCreateKind
    conversation_id: None | str | Unset = UNSET
    corrected_intent: None | str | Unset = UNSET
    edited_text: None | str | Unset = UNSET
    position: int | None | Unset = UNSET
    predicted_intent: None | str | Unset = UNSET
    propensity: float | None | Unset = UNSET
    rating: int | None | Unset = UNSET
    resolved: bool | None | Unset = UNSET
    suggestion_id: None | str | Unset = UNSET
    suggestion_text: None | str | Unset = UNSET
    text: None | str | Unset = UNSET
    turn_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        kind = self.kind.value

        conversation_id: None | str | Unset
        if isinstance(self.conversation_id, Unset):
            conversation_id = UNSET
        else:
            conversation_id = self.conversation_id

        corrected_intent: None | str | Unset
        if isinstance(self.corrected_intent, Unset):
            corrected_intent = UNSET
        else:
            corrected_intent = self.corrected_intent

        edited_text: None | str | Unset
        if isinstance(self.edited_text, Unset):
            edited_text = UNSET
        else:
            edited_text = self.edited_text

        position: int | None | Unset
        if isinstance(self.position, Unset):
            position = UNSET
        else:
            position = self.position

        predicted_intent: None | str | Unset
        if isinstance(self.predicted_intent, Unset):
            predicted_intent = UNSET
        else:
            predicted_intent = self.predicted_intent

        propensity: float | None | Unset
        if isinstance(self.propensity, Unset):
            propensity = UNSET
        else:
            propensity = self.propensity

        rating: int | None | Unset
        if isinstance(self.rating, Unset):
            rating = UNSET
        else:
            rating = self.rating

        resolved: bool | None | Unset
        if isinstance(self.resolved, Unset):
            resolved = UNSET
        else:
            resolved = self.resolved

        suggestion_id: None | str | Unset
        if isinstance(self.suggestion_id, Unset):
            suggestion_id = UNSET
        else:
            suggestion_id = self.suggestion_id

        suggestion_text: None | str | Unset
        if isinstance(self.suggestion_text, Unset):
            suggestion_text = UNSET
        else:
            suggestion_text = self.suggestion_text

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        turn_id: None | str | Unset
        if isinstance(self.turn_id, Unset):
            turn_id = UNSET
        else:
            turn_id = self.turn_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
                "kind": kind,
            }
        )
        if conversation_id is not UNSET:
            field_dict["conversation_id"] = conversation_id
        if corrected_intent is not UNSET:
            field_dict["corrected_intent"] = corrected_intent
        if edited_text is not UNSET:
            field_dict["edited_text"] = edited_text
        if position is not UNSET:
            field_dict["position"] = position
        if predicted_intent is not UNSET:
            field_dict["predicted_intent"] = predicted_intent
        if propensity is not UNSET:
            field_dict["propensity"] = propensity
        if rating is not UNSET:
            field_dict["rating"] = rating
        if resolved is not UNSET:
            field_dict["resolved"] = resolved
        if suggestion_id is not UNSET:
            field_dict["suggestion_id"] = suggestion_id
        if suggestion_text is not UNSET:
            field_dict["suggestion_text"] = suggestion_text
        if text is not UNSET:
            field_dict["text"] = text
        if turn_id is not UNSET:
            field_dict["turn_id"] = turn_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        action = FeedbackCreateAction(d.pop("action"))

        kind = FeedbackCreateKind(d.pop("kind"))

        def _parse_conversation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        conversation_id = _parse_conversation_id(d.pop("conversation_id", UNSET))

        def _parse_corrected_intent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        corrected_intent = _parse_corrected_intent(d.pop("corrected_intent", UNSET))

        def _parse_edited_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        edited_text = _parse_edited_text(d.pop("edited_text", UNSET))

        def _parse_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        position = _parse_position(d.pop("position", UNSET))

        def _parse_predicted_intent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        predicted_intent = _parse_predicted_intent(d.pop("predicted_intent", UNSET))

        def _parse_propensity(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        propensity = _parse_propensity(d.pop("propensity", UNSET))

        def _parse_rating(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rating = _parse_rating(d.pop("rating", UNSET))

        def _parse_resolved(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        resolved = _parse_resolved(d.pop("resolved", UNSET))

        def _parse_suggestion_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        suggestion_id = _parse_suggestion_id(d.pop("suggestion_id", UNSET))

        def _parse_suggestion_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        suggestion_text = _parse_suggestion_text(d.pop("suggestion_text", UNSET))

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        def _parse_turn_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        turn_id = _parse_turn_id(d.pop("turn_id", UNSET))

        feedback_create = cls(
            action=action,
            kind=kind,
            conversation_id=conversation_id,
            corrected_intent=corrected_intent,
            edited_text=edited_text,
            position=position,
            predicted_intent=predicted_intent,
            propensity=propensity,
            rating=rating,
            resolved=resolved,
            suggestion_id=suggestion_id,
            suggestion_text=suggestion_text,
            text=text,
            turn_id=turn_id,
        )

        return feedback_create
