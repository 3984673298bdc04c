"""Contains all the data models used in inputs/outputs"""

from .agent_create import AgentCreate
from .agent_create_role import AgentCreateRole
from .agent_message import AgentMessage
from .agent_message_create import AgentMessageCreate
from .agent_public import AgentPublic
from .agent_public_role import AgentPublicRole
from .agent_routing_public import AgentRoutingPublic
from .agent_routing_public_presence import AgentRoutingPublicPresence
from .agent_routing_public_role import AgentRoutingPublicRole
from .agent_turn import AgentTurn
from .agent_turn_attributes import AgentTurnAttributes
from .analytics_summary import AnalyticsSummary
from .api_key_create import ApiKeyCreate
from .api_key_create_scopes_item import ApiKeyCreateScopesItem
from .api_key_info_public import ApiKeyInfoPublic
from .api_key_public import ApiKeyPublic
from .assist_event import AssistEvent
from .assist_payload import AssistPayload
from .assist_payload_language import AssistPayloadLanguage
from .assist_request import AssistRequest
from .assist_request_language_type_0 import AssistRequestLanguageType0
from .batch_result_public import BatchResultPublic
from .chatwoot_ack import ChatwootAck
from .chatwoot_ack_status import ChatwootAckStatus
from .close_request import CloseRequest
from .conversation_create import ConversationCreate
from .conversation_create_channel import ConversationCreateChannel
from .conversation_create_language_type_0 import ConversationCreateLanguageType0
from .conversation_created_public import ConversationCreatedPublic
from .conversation_public import ConversationPublic
from .conversation_public_language import ConversationPublicLanguage
from .conversation_public_state import ConversationPublicState
from .count import Count
from .csat import Csat
from .csat_distribution import CsatDistribution
from .customer_batch_request import CustomerBatchRequest
from .customer_batch_request_customers_item import CustomerBatchRequestCustomersItem
from .customer_button import CustomerButton
from .customer_context import CustomerContext
from .customer_context_public import CustomerContextPublic
from .customer_conversation_public import CustomerConversationPublic
from .customer_conversation_public_language import CustomerConversationPublicLanguage
from .customer_conversation_public_state import CustomerConversationPublicState
from .customer_message import CustomerMessage
from .customer_orders import CustomerOrders
from .customer_profile import CustomerProfile
from .customer_public import CustomerPublic
from .customer_public_attributes import CustomerPublicAttributes
from .customer_state import CustomerState
from .customer_state_state import CustomerStateState
from .customer_transcript_public import CustomerTranscriptPublic
from .customer_turn import CustomerTurn
from .customer_turn_outcome_public import CustomerTurnOutcomePublic
from .customer_turn_outcome_public_state import CustomerTurnOutcomePublicState
from .customer_turn_role import CustomerTurnRole
from .customer_upsert import CustomerUpsert
from .customer_upsert_attributes import CustomerUpsertAttributes
from .customer_upserted import CustomerUpserted
from .customer_upserted_status import CustomerUpsertedStatus
from .customer_wrote import CustomerWrote
from .delivery_public import DeliveryPublic
from .demo_conversation_create import DemoConversationCreate
from .demo_conversation_create_language_type_0 import (
    DemoConversationCreateLanguageType0,
)
from .demo_customer_public import DemoCustomerPublic
from .demo_proactive_offer_demo_proactive_offer_get_language import (
    DemoProactiveOfferDemoProactiveOfferGetLanguage,
)
from .disposition_option import DispositionOption
from .edited_suggestion import EditedSuggestion
from .edited_suggestions import EditedSuggestions
from .edited_v1_analytics_edited_suggestions_get_format import (
    EditedV1AnalyticsEditedSuggestionsGetFormat,
)
from .edited_version import EditedVersion
from .entity_out import EntityOut
from .entity_public import EntityPublic
from .error_body import ErrorBody
from .error_detail import ErrorDetail
from .event_batch_request import EventBatchRequest
from .event_batch_request_events_item import EventBatchRequestEventsItem
from .event_in import EventIn
from .event_in_attributes import EventInAttributes
from .event_in_channel import EventInChannel
from .evidence import Evidence
from .export_v1_feedback_export_get_format import ExportV1FeedbackExportGetFormat
from .feedback_create import FeedbackCreate
from .feedback_create_action import FeedbackCreateAction
from .feedback_create_kind import FeedbackCreateKind
from .feedback_created_public import FeedbackCreatedPublic
from .flow import Flow
from .handoff_packet import HandoffPacket
from .handoff_packet_public import HandoffPacketPublic
from .handoff_state import HandoffState
from .handoff_state_state import HandoffStateState
from .healthz_healthz_get_response_healthz_healthz_get import (
    HealthzHealthzGetResponseHealthzHealthzGet,
)
from .history_search_request import HistorySearchRequest
from .history_search_result import HistorySearchResult
from .intent_batch_public import IntentBatchPublic
from .intent_batch_request import IntentBatchRequest
from .intent_info import IntentInfo
from .intent_public import IntentPublic
from .intent_public_language import IntentPublicLanguage
from .intent_request import IntentRequest
from .intent_use import IntentUse
from .interaction import Interaction
from .item_result_public import ItemResultPublic
from .item_result_public_status import ItemResultPublicStatus
from .journey_event import JourneyEvent
from .journey_event_attributes import JourneyEventAttributes
from .journey_flows import JourneyFlows
from .journey_model_public import JourneyModelPublic
from .journey_stage import JourneyStage
from .journey_stage_scores import JourneyStageScores
from .leave_request import LeaveRequest
from .leave_request_departure import LeaveRequestDeparture
from .list_conversations_v1_conversations_get_state_type_0 import (
    ListConversationsV1ConversationsGetStateType0,
)
from .login_request import LoginRequest
from .message_create import MessageCreate
from .model_info_public import ModelInfoPublic
from .model_info_public_languages_item import ModelInfoPublicLanguagesItem
from .model_info_public_runtime import ModelInfoPublicRuntime
from .model_info_public_training import ModelInfoPublicTraining
from .model_info_public_validation import ModelInfoPublicValidation
from .model_reload_public import ModelReloadPublic
from .next_best_action import NextBestAction
from .order import Order
from .order_batch_request import OrderBatchRequest
from .order_batch_request_orders_item import OrderBatchRequestOrdersItem
from .order_item import OrderItem
from .order_line import OrderLine
from .order_record import OrderRecord
from .order_upsert import OrderUpsert
from .order_upsert_status import OrderUpsertStatus
from .order_upserted import OrderUpserted
from .order_upserted_status import OrderUpsertedStatus
from .order_view import OrderView
from .packet_turn import PacketTurn
from .parse_request import ParseRequest
from .parse_result import ParseResult
from .password_reset import PasswordReset
from .presence_update import PresenceUpdate
from .presence_update_presence import PresenceUpdatePresence
from .priority_reason_public import PriorityReasonPublic
from .priority_reason_public_name import PriorityReasonPublicName
from .proactive_offer_public import ProactiveOfferPublic
from .proactive_offer_public_language import ProactiveOfferPublicLanguage
from .proactive_offer_v1_customers_customer_id_proactive_offer_get_language import (
    ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage,
)
from .queue_item_public import QueueItemPublic
from .queue_status_public import QueueStatusPublic
from .queue_view_public import QueueViewPublic
from .queued import Queued
from .ranked_intent import RankedIntent
from .ranked_intent_public import RankedIntentPublic
from .rasa_entity import RasaEntity
from .rasa_intent import RasaIntent
from .rated import Rated
from .readyz_readyz_get_response_readyz_readyz_get import (
    ReadyzReadyzGetResponseReadyzReadyzGet,
)
from .reason_request import ReasonRequest
from .reassign_request import ReassignRequest
from .related_event import RelatedEvent
from .related_event_kind import RelatedEventKind
from .routing_update import RoutingUpdate
from .sentiment_out import SentimentOut
from .sentiment_public import SentimentPublic
from .sentiment_trend import SentimentTrend
from .spread_out import SpreadOut
from .stage_figures import StageFigures
from .stage_public import StagePublic
from .state_change import StateChange
from .subscription_create import SubscriptionCreate
from .subscription_created_public import SubscriptionCreatedPublic
from .subscription_public import SubscriptionPublic
from .suggestion import Suggestion
from .suggestion_components import SuggestionComponents
from .suggestion_use import SuggestionUse
from .suggestions import Suggestions
from .suggestions_actions import SuggestionsActions
from .summary_v1_analytics_summary_get_channel_type_0 import (
    SummaryV1AnalyticsSummaryGetChannelType0,
)
from .summary_v1_analytics_summary_get_format import SummaryV1AnalyticsSummaryGetFormat
from .supervisor_queues_public import SupervisorQueuesPublic
from .suppression_check_item import SuppressionCheckItem
from .suppression_check_item_status import SuppressionCheckItemStatus
from .suppression_check_request import SuppressionCheckRequest
from .suppression_check_result import SuppressionCheckResult
from .suppression_reason import SuppressionReason
from .ticket_batch_request import TicketBatchRequest
from .ticket_batch_request_tickets_item import TicketBatchRequestTicketsItem
from .ticket_public import TicketPublic
from .ticket_upsert import TicketUpsert
from .ticket_upsert_channel import TicketUpsertChannel
from .ticket_upsert_priority import TicketUpsertPriority
from .ticket_upsert_status import TicketUpsertStatus
from .ticket_upserted import TicketUpserted
from .ticket_upserted_status import TicketUpsertedStatus
from .ticket_view import TicketView
from .timeline import Timeline
from .token_public import TokenPublic
from .token_public_role import TokenPublicRole
from .transcript_public import TranscriptPublic
from .transfer_request import TransferRequest
from .transition_public import TransitionPublic
from .transition_public_from_state import TransitionPublicFromState
from .transition_public_to_state import TransitionPublicToState
from .turn_analysis_out import TurnAnalysisOut
from .turn_analysis_out_language import TurnAnalysisOutLanguage
from .turn_in import TurnIn
from .turn_in_role import TurnInRole
from .turn_outcome_public import TurnOutcomePublic
from .turn_outcome_public_state import TurnOutcomePublicState
from .turn_public import TurnPublic
from .turn_public_attributes import TurnPublicAttributes
from .unanswered import Unanswered
from .unanswered_cluster import UnansweredCluster
from .waiting_public import WaitingPublic
from .wrap_up import WrapUp
from .wrap_up_draft import WrapUpDraft
from .wrap_up_line import WrapUpLine
from .wrap_up_outcome import WrapUpOutcome

__all__ = (
    "AgentCreate",
    "AgentCreateRole",
    "AgentMessage",
    "AgentMessageCreate",
    "AgentPublic",
    "AgentPublicRole",
    "AgentRoutingPublic",
    "AgentRoutingPublicPresence",
    "AgentRoutingPublicRole",
    "AgentTurn",
    "AgentTurnAttributes",
    "AnalyticsSummary",
    "ApiKeyCreate",
    "ApiKeyCreateScopesItem",
    "ApiKeyInfoPublic",
    "ApiKeyPublic",
    "AssistEvent",
    "AssistPayload",
    "AssistPayloadLanguage",
    "AssistRequest",
    "AssistRequestLanguageType0",
    "BatchResultPublic",
    "ChatwootAck",
    "ChatwootAckStatus",
    "CloseRequest",
    "ConversationCreate",
    "ConversationCreateChannel",
    "ConversationCreateLanguageType0",
    "ConversationCreatedPublic",
    "ConversationPublic",
    "ConversationPublicLanguage",
    "ConversationPublicState",
    "Count",
    "Csat",
    "CsatDistribution",
    "CustomerBatchRequest",
    "CustomerBatchRequestCustomersItem",
    "CustomerButton",
    "CustomerContext",
    "CustomerContextPublic",
    "CustomerConversationPublic",
    "CustomerConversationPublicLanguage",
    "CustomerConversationPublicState",
    "CustomerMessage",
    "CustomerOrders",
    "CustomerProfile",
    "CustomerPublic",
    "CustomerPublicAttributes",
    "CustomerState",
    "CustomerStateState",
    "CustomerTranscriptPublic",
    "CustomerTurn",
    "CustomerTurnOutcomePublic",
    "CustomerTurnOutcomePublicState",
    "CustomerTurnRole",
    "CustomerUpsert",
    "CustomerUpsertAttributes",
    "CustomerUpserted",
    "CustomerUpsertedStatus",
    "CustomerWrote",
    "DeliveryPublic",
    "DemoConversationCreate",
    "DemoConversationCreateLanguageType0",
    "DemoCustomerPublic",
    "DemoProactiveOfferDemoProactiveOfferGetLanguage",
    "DispositionOption",
    "EditedSuggestion",
    "EditedSuggestions",
    "EditedV1AnalyticsEditedSuggestionsGetFormat",
    "EditedVersion",
    "EntityOut",
    "EntityPublic",
    "ErrorBody",
    "ErrorDetail",
    "EventBatchRequest",
    "EventBatchRequestEventsItem",
    "EventIn",
    "EventInAttributes",
    "EventInChannel",
    "Evidence",
    "ExportV1FeedbackExportGetFormat",
    "FeedbackCreate",
    "FeedbackCreateAction",
    "FeedbackCreateKind",
    "FeedbackCreatedPublic",
    "Flow",
    "HandoffPacket",
    "HandoffPacketPublic",
    "HandoffState",
    "HandoffStateState",
    "HealthzHealthzGetResponseHealthzHealthzGet",
    "HistorySearchRequest",
    "HistorySearchResult",
    "IntentBatchPublic",
    "IntentBatchRequest",
    "IntentInfo",
    "IntentPublic",
    "IntentPublicLanguage",
    "IntentRequest",
    "IntentUse",
    "Interaction",
    "ItemResultPublic",
    "ItemResultPublicStatus",
    "JourneyEvent",
    "JourneyEventAttributes",
    "JourneyFlows",
    "JourneyModelPublic",
    "JourneyStage",
    "JourneyStageScores",
    "LeaveRequest",
    "LeaveRequestDeparture",
    "ListConversationsV1ConversationsGetStateType0",
    "LoginRequest",
    "MessageCreate",
    "ModelInfoPublic",
    "ModelInfoPublicLanguagesItem",
    "ModelInfoPublicRuntime",
    "ModelInfoPublicTraining",
    "ModelInfoPublicValidation",
    "ModelReloadPublic",
    "NextBestAction",
    "Order",
    "OrderBatchRequest",
    "OrderBatchRequestOrdersItem",
    "OrderItem",
    "OrderLine",
    "OrderRecord",
    "OrderUpsert",
    "OrderUpsertStatus",
    "OrderUpserted",
    "OrderUpsertedStatus",
    "OrderView",
    "PacketTurn",
    "ParseRequest",
    "ParseResult",
    "PasswordReset",
    "PresenceUpdate",
    "PresenceUpdatePresence",
    "PriorityReasonPublic",
    "PriorityReasonPublicName",
    "ProactiveOfferPublic",
    "ProactiveOfferPublicLanguage",
    "ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage",
    "QueueItemPublic",
    "QueueStatusPublic",
    "QueueViewPublic",
    "Queued",
    "RankedIntent",
    "RankedIntentPublic",
    "RasaEntity",
    "RasaIntent",
    "Rated",
    "ReadyzReadyzGetResponseReadyzReadyzGet",
    "ReasonRequest",
    "ReassignRequest",
    "RelatedEvent",
    "RelatedEventKind",
    "RoutingUpdate",
    "SentimentOut",
    "SentimentPublic",
    "SentimentTrend",
    "SpreadOut",
    "StageFigures",
    "StagePublic",
    "StateChange",
    "SubscriptionCreate",
    "SubscriptionCreatedPublic",
    "SubscriptionPublic",
    "Suggestion",
    "SuggestionComponents",
    "SuggestionUse",
    "Suggestions",
    "SuggestionsActions",
    "SummaryV1AnalyticsSummaryGetChannelType0",
    "SummaryV1AnalyticsSummaryGetFormat",
    "SupervisorQueuesPublic",
    "SuppressionCheckItem",
    "SuppressionCheckItemStatus",
    "SuppressionCheckRequest",
    "SuppressionCheckResult",
    "SuppressionReason",
    "TicketBatchRequest",
    "TicketBatchRequestTicketsItem",
    "TicketPublic",
    "TicketUpsert",
    "TicketUpsertChannel",
    "TicketUpsertPriority",
    "TicketUpsertStatus",
    "TicketUpserted",
    "TicketUpsertedStatus",
    "TicketView",
    "Timeline",
    "TokenPublic",
    "TokenPublicRole",
    "TranscriptPublic",
    "TransferRequest",
    "TransitionPublic",
    "TransitionPublicFromState",
    "TransitionPublicToState",
    "TurnAnalysisOut",
    "TurnAnalysisOutLanguage",
    "TurnIn",
    "TurnInRole",
    "TurnOutcomePublic",
    "TurnOutcomePublicState",
    "TurnPublic",
    "TurnPublicAttributes",
    "Unanswered",
    "UnansweredCluster",
    "WaitingPublic",
    "WrapUp",
    "WrapUpDraft",
    "WrapUpLine",
    "WrapUpOutcome",
)
