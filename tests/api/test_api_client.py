"""The typed client (api/client/, generated from the OpenAPI document) matches the live
schema, and drives the API with typed models end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from api_helpers import ASSIST_KEY

from api.client import AuthenticatedClient
from api.client.api.agent_assist import (
    conversation_assist_v1_conversations_conversation_id_assist_get as get_assist,
)
from api.client.api.conversations import (
    customer_message_v1_conversations_conversation_id_messages_post as post_message,
)
from api.client.api.conversations import start_v1_conversations_post as start_conversation
from api.client.models import (
    AssistPayload,
    ConversationCreate,
    ConversationCreatedPublic,
    ErrorBody,
    MessageCreate,
    TurnOutcomePublic,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.integration
def test_the_committed_client_matches_the_openapi_document():
    done = subprocess.run(
        [sys.executable, "-m", "api.client_gen", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_client_drives_the_api_with_typed_models(client):
    api = AuthenticatedClient(base_url="http://testserver", token=ASSIST_KEY)
    client.headers["Authorization"] = f"Bearer {ASSIST_KEY}"  # what the client would send
    api.set_httpx_client(client)  # the app in-process (TestClient is an httpx.Client)
    created = start_conversation.sync(client=api, body=ConversationCreate(customer_id="C-1"))
    assert isinstance(created, ConversationCreatedPublic)
    cid = created.conversation.id
    out = post_message.sync(
        conversation_id=cid,
        client=api,
        body=MessageCreate(text="refund please", client_message_id="m-1"),
    )
    assert isinstance(out, TurnOutcomePublic) and out.state == "bot"
    payload = get_assist.sync(conversation_id=cid, client=api)
    assert isinstance(payload, AssistPayload)
    assert payload.intent.name == "get_refund"
    assert payload.customer_context is not None and payload.customer_context.name == "Emma Stone"
    missing = get_assist.sync(conversation_id="conv_nope", client=api)
    assert isinstance(missing, ErrorBody) and missing.error.code == "conversation_not_found"
