"""The API's HTTP flows on a real PostgreSQL server: the same tests as on SQLite, collected
again here with the `history` fixture overridden, so every API table (conversations,
turns, transitions, agents, tokens, API keys, webhook deliveries, feedback) is exercised on
the production backend, claim races between concurrent HTTP requests included."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_helpers import seed

# Collected again in this module, with this module's `history` fixture (PostgreSQL).
from test_api_assist_events import (  # noqa: F401
    test_customer_context_and_timeline,
    test_event_ingestion_is_idempotent,
    test_stateless_assist_payload,
)
from test_api_auth import (  # noqa: F401
    test_customer_cannot_read_or_write_another_conversation,
    test_secrets_are_stored_hashed,
    test_wrong_password_and_expired_token,
)
from test_api_conversation_turns import (  # noqa: F401
    test_bot_failure_hands_off_and_keeps_the_message,
    test_consecutive_low_confidence_turns_hand_off,
    test_handoff_packet_has_transcript_summary_context_and_first_reply,
)
from test_api_dispatch import (  # noqa: F401
    test_a_reply_at_the_same_moment_keeps_the_chat,
    test_an_assignment_left_unanswered_goes_back_and_the_agent_is_set_away,
)
from test_api_feedback import test_feedback_round_trip_and_export  # noqa: F401
from test_api_handoff_routes import (  # noqa: F401
    test_claim_message_hand_back_close,
    test_concurrent_http_claims_have_one_winner,
    test_listing_by_state,
    test_queue_shows_wait_and_reason,
)
from test_api_suppression import (  # noqa: F401
    test_check_answers_each_id_known_or_not,
    test_two_workers_racing_announce_once,
    test_watcher_announces_suppression_once_and_release_when_it_ends,
)
from test_api_webhooks_fanout import (  # noqa: F401
    test_a_batch_is_leased_in_the_order_its_events_were_written,
    test_dispatchers_racing_fan_out_and_lease_each_event_once,
)
from test_api_webhooks_limits import test_handoff_events_are_delivered_signed_after_retries  # noqa: F401

from api.storage.schema import open_database
from retrieval.store import SqlHistoryStore


@pytest.fixture
def history(pg_url: str) -> Iterator[SqlHistoryStore]:
    """The conftest's customers, on a fresh PostgreSQL database (migrated to head)."""
    store = seed(SqlHistoryStore(open_database(pg_url)))
    assert store.engine.dialect.name == "postgresql"
    yield store
    store.close()
