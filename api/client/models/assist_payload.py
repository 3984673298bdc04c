from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.assist_payload_language import AssistPayloadLanguage
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.customer_context import CustomerContext
    from ..models.entity_out import EntityOut
    from ..models.handoff_state import HandoffState
    from ..models.intent_info import IntentInfo
    from ..models.journey_stage import JourneyStage
    from ..models.next_best_action import NextBestAction
    from ..models.related_event import RelatedEvent
    from ..models.sentiment_out import SentimentOut
    from ..models.suggestion import Suggestion


T = TypeVar("T", bound="AssistPayload")


@_attrs_define
class AssistPayload:
    """The agent-assist answer for one customer turn.

    Attributes:
        customer_id (None | str):
        intent (IntentInfo):
        sentiment (SentimentOut):
        text (str): the customer turn this answers (PII redacted)
        customer_context (CustomerContext | None | Unset): profile, open orders / tickets, last interaction per channel
        entities (list[EntityOut] | Unset):
        handoff (HandoffState | None | Unset): ownership (conversations only)
        journey_stage (JourneyStage | None | Unset): with its evidence
        knowledge_articles (list[Suggestion] | Unset):
        language (AssistPayloadLanguage | Unset): the language of the suggestions and knowledge articles: the
            conversation's (en / zh) Default: AssistPayloadLanguage.EN.
        next_best_action (NextBestAction | None | Unset): incl. marketing_allowed and its reasons
        related_history (list[RelatedEvent] | Unset): this customer's past events and conversations most like the turn,
            then similar resolved cases of other customers (from wrap-ups)
        suggestions (list[Suggestion] | Unset):
        warnings (list[str] | Unset): what could not be computed
    """

    customer_id: None | str
    intent: IntentInfo
    sentiment: SentimentOut
    text: str
    customer_context: CustomerContext | None | Unset = UNSET
    entities: list[EntityOut] | Unset = UNSET
    handoff: HandoffState | None | Unset = UNSET
    journey_stage: JourneyStage | None | Unset = UNSET
    knowledge_articles: list[Suggestion] | Unset = UNSET
    language: AssistPayloadLanguage | Unset = AssistPayloadLanguage.EN
    next_best_action: NextBestAction | None | Unset = UNSET
    related_history: list[RelatedEvent] | Unset = UNSET
    suggestions: list[Suggestion] | Unset = UNSET
    warnings: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_context import CustomerContext
        from ..models.handoff_state import HandoffState
        from ..models.journey_stage import JourneyStage
        from ..models.next_best_action import NextBestAction

        customer_id: None | str
        customer_id = self.customer_id

        intent = self.intent.to_dict()

        sentiment = self.sentiment.to_dict()

        text = self.text

        customer_context: dict[str, Any] | None | Unset
        if isinstance(self.customer_context, Unset):
            customer_context = UNSET
        elif isinstance(self.customer_context, CustomerContext):
            customer_context = self.customer_context.to_dict()
        else:
            customer_context = self.customer_context

        entities: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.entities, Unset):
            entities = []
            for entities_item_data in self.entities:
                entities_item = entities_item_data.to_dict()
                entities.append(entities_item)

        handoff: dict[str, Any] | None | Unset
        if isinstance(self.handoff, Unset):
            handoff = UNSET
        elif isinstance(self.handoff, HandoffState):
            handoff = self.handoff.to_dict()
        else:
            handoff = self.handoff

        journey_stage: dict[str, Any] | None | Unset
        if isinstance(self.journey_stage, Unset):
            journey_stage = UNSET
        elif isinstance(self.journey_stage, JourneyStage):
            journey_stage = self.journey_stage.to_dict()
        else:
            journey_stage = self.journey_stage

        knowledge_articles: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.knowledge_articles, Unset):
            knowledge_articles = []
            for knowledge_articles_item_data in self.knowledge_articles:
                knowledge_articles_item = knowledge_articles_item_data.to_dict()
                knowledge_articles.append(knowledge_articles_item)

        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value

        next_best_action: dict[str, Any] | None | Unset
        if isinstance(self.next_best_action, Unset):
            next_best_action = UNSET
        elif isinstance(self.next_best_action, NextBestAction):
            next_best_action = self.next_best_action.to_dict()
        else:
            next_best_action = self.next_best_action

        related_history: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.related_history, Unset):
            related_history = []
            for related_history_item_data in self.related_history:
                related_history_item = related_history_item_data.to_dict()
                related_history.append(related_history_item)

        suggestions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.suggestions, Unset):
            suggestions = []
            for suggestions_item_data in self.suggestions:
                suggestions_item = suggestions_item_data.to_dict()
                suggestions.append(suggestions_item)

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "intent": intent,
                "sentiment": sentiment,
                "text": text,
            }
        )
        if customer_context is not UNSET:
            field_dict["customer_context"] = customer_context
        if entities is not UNSET:
            field_dict["entities"] = entities
        if handoff is not UNSET:
            field_dict["handoff"] = handoff
        if journey_stage is not UNSET:
            field_dict["journey_stage"] = journey_stage
        if knowledge_articles is not UNSET:
            field_dict["knowledge_articles"] = knowledge_articles
        if language is not UNSET:
            field_dict["language"] = language
        if next_best_action is not UNSET:
            field_dict["next_best_action"] = next_best_action
        if related_history is not UNSET:
            field_dict["related_history"] = related_history
        if suggestions is not UNSET:
            field_dict["suggestions"] = suggestions
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_context import CustomerContext
        from ..models.entity_out import EntityOut
        from ..models.handoff_state import HandoffState
        from ..models.intent_info import IntentInfo
        from ..models.journey_stage import JourneyStage
        from ..models.next_best_action import NextBestAction
        from ..models.related_event import RelatedEvent
        from ..models.sentiment_out import SentimentOut
        from ..models.suggestion import Suggestion

        d = dict(src_dict)

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        intent = IntentInfo.from_dict(d.pop("intent"))

        sentiment = SentimentOut.from_dict(d.pop("sentiment"))

        text = d.pop("text")

        def _parse_customer_context(data: object) -> CustomerContext | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                customer_context_type_0 = CustomerContext.from_dict(data)

                return customer_context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerContext | None | Unset, data)

        customer_context = _parse_customer_context(d.pop("customer_context", UNSET))

        _entities = d.pop("entities", UNSET)
        entities: list[EntityOut] | Unset = UNSET
        if _entities is not UNSET:
            entities = []
            for entities_item_data in _entities:
                entities_item = EntityOut.from_dict(entities_item_data)

                entities.append(entities_item)

        def _parse_handoff(data: object) -> HandoffState | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                handoff_type_0 = HandoffState.from_dict(data)

                return handoff_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HandoffState | None | Unset, data)

        handoff = _parse_handoff(d.pop("handoff", UNSET))

        def _parse_journey_stage(data: object) -> JourneyStage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                journey_stage_type_0 = JourneyStage.from_dict(data)

                return journey_stage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JourneyStage | None | Unset, data)

        journey_stage = _parse_journey_stage(d.pop("journey_stage", UNSET))

        _knowledge_articles = d.pop("knowledge_articles", UNSET)
        knowledge_articles: list[Suggestion] | Unset = UNSET
        if _knowledge_articles is not UNSET:
            knowledge_articles = []
            for knowledge_articles_item_data in _knowledge_articles:
                knowledge_articles_item = Suggestion.from_dict(
                    knowledge_articles_item_data
                )

                knowledge_articles.append(knowledge_articles_item)

        _language = d.pop("language", UNSET)
        language: AssistPayloadLanguage | Unset
        if isinstance(_language, Unset):
            language = UNSET
        else:
            language = AssistPayloadLanguage(_language)

        def _parse_next_best_action(data: object) -> NextBestAction | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_best_action_type_0 = NextBestAction.from_dict(data)

                return next_best_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NextBestAction | None | Unset, data)

        next_best_action = _parse_next_best_action(d.pop("next_best_action", UNSET))

        _related_history = d.pop("related_history", UNSET)
        related_history: list[RelatedEvent] | Unset = UNSET
        if _related_history is not UNSET:
            related_history = []
            for related_history_item_data in _related_history:
                related_history_item = RelatedEvent.from_dict(related_history_item_data)

                related_history.append(related_history_item)

        _suggestions = d.pop("suggestions", UNSET)
        suggestions: list[Suggestion] | Unset = UNSET
        if _suggestions is not UNSET:
            suggestions = []
            for suggestions_item_data in _suggestions:
                suggestions_item = Suggestion.from_dict(suggestions_item_data)

                suggestions.append(suggestions_item)

        warnings = cast(list[str], d.pop("warnings", UNSET))

        assist_payload = cls(
            customer_id=customer_id,
            intent=intent,
            sentiment=sentiment,
            text=text,
            customer_context=customer_context,
            entities=entities,
            handoff=handoff,
            journey_stage=journey_stage,
            knowledge_articles=knowledge_articles,
            language=language,
            next_best_action=next_best_action,
            related_history=related_history,
            suggestions=suggestions,
            warnings=warnings,
        )

        assist_payload.additional_properties = d
        return assist_payload

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
