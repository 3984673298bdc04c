"""One Settings object, read from the environment (prefix AGENT_ASSIST_) or `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET = "demo-secret-change-me"
DEMO_BOT_KEY = "demo-assist-key"  # the bot's and the actions' key when none is configured


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AGENT_ASSIST_", env_file=".env", extra="ignore")

    mode: Literal["demo", "production"] = "demo"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    model_dir: Path = Path("var/models/intent")
    # the intent model registry (python -m intent retrain / rollback; intent/registry.py):
    # when <model_registry>/registry.json exists its current version is served instead of
    # model_dir; unset: registry/ beside model_dir (var/models/registry). A running service
    # checks which version is current every model_reload_check_s and hot-reloads a new one
    # (0: never; POST /v1/intent/model:reload still does)
    model_registry: Path | None = None
    model_reload_check_s: float = Field(default=5.0, ge=0, le=3600)
    entities_file: Path | None = None  # default: data/entities.yml
    torch_threads: int = Field(default=2, ge=1, le=64)
    max_text_chars: int = Field(default=2000, ge=1)
    max_batch: int = Field(default=64, ge=1, le=1024)
    # inference (intent/runtime.py): ONNX Runtime when it matches PyTorch on a probe set at
    # start-up (exported into onnx_cache_dir, keyed by the weights' hash), concurrent
    # requests' texts batched into one forward pass, an LRU of recent texts' results
    onnx: bool = True
    onnx_cache_dir: Path = Path("var/cache/onnx")
    # threads per ONNX session; the classifier's and the query encoder's run side by side
    onnx_threads: int = Field(default=1, ge=1, le=64)
    # keep the intent model's PyTorch weights resident next to its verified ONNX session
    # (default: released, one copy of the weights a worker process)
    onnx_keep_torch: bool = False
    # serve the intent model's int8 graph when it decides the model's check texts like the
    # float graph (>= 99.5 % alike, intent/int8.py): about 1.7x cheaper a turn
    onnx_int8: bool = True
    # the share of the model's check texts the int8 graph must decide like the float one
    onnx_int8_min_agreement: float = Field(default=0.995, ge=0.0, le=1.0)
    micro_batch_max: int = Field(default=16, ge=1, le=256)
    micro_batch_window_ms: float = Field(default=2.0, ge=0, le=100)
    inference_cache_size: int = Field(default=1024, ge=0)
    secret_key: str = DEMO_SECRET
    # customer history + the API's own records (one database, one Alembic history)
    history_url: str = "sqlite:///var/history.db"
    # retrieval (context, journey stage, suggestions) loaded in the lifespan; off: the
    # assist payload carries only the turn's analysis, with a warning
    load_retrieval: bool = True
    # the journey-stage model: a name of data/journey/model.yml's `models` (lifecycle: the
    # seven stages; 5a: Aware, Appeal, Ask, Act, Advocate); None: that file's `active` one.
    # Checked at start-up (an unknown name, or a rule naming a stage it lacks, stops it)
    journey_model: str | None = None
    # the customer-history index (FAISS) behind related history: saved under index_dir,
    # kept current from the store every index_sync_s, saved every index_save_s
    history_index: bool = True
    index_dir: Path = Path("var/index")
    index_sync_s: float = Field(default=0.5, gt=0, le=60)
    # Chinese turns search the history in a second index of the same events, embedded
    # with multilingual-e5-small (language direction projected out): a Chinese question
    # finds an English note about the same problem. "auto": when the service answers in
    # Chinese (the response bank has Chinese items); "off": they search the base (MiniLM)
    # index, which reads no Chinese. English turns always search the base index.
    multilingual_history: Literal["auto", "on", "off"] = "auto"
    multilingual_index_dir: Path = Path("var/index-multilingual")
    # related history shows past events at least this similar to the turn (cosine, base
    # index); unset: the cut measured for its encoder (retrieval/assist.py; MiniLM 0.25).
    # `make bench-retrieval ONLY=related` prints the recall / noise trade-off per value
    related_min_score: float | None = Field(default=None, ge=-1, le=1)
    index_save_s: float = Field(default=60.0, gt=0)
    response_cache_dir: Path = Path("var/cache/responses")
    # marketing suppression watcher (api/suppression_watch.py): every suppression_watch_s it
    # re-evaluates the customers with new events and those whose suppression ended, and
    # writes customer.suppressed / customer.released to the webhook outbox; suppressed
    # customers are re-evaluated at least every suppression_recheck_s (a ticket closed, a
    # consent changed: no event says so)
    suppression_watch: bool = True
    suppression_watch_s: float = Field(default=5.0, gt=0, le=3600)
    suppression_recheck_s: float = Field(default=300.0, gt=0)
    handoff_policy: Path | None = None  # default: data/handoff_policy.yml (intent.resources)
    dispositions: Path | None = None  # wrap-up codes; default: data/wrapup/dispositions.yml
    # proactive help rules (api/proactive.py); default: data/proactive.yml; "" : none
    proactive_rules: Path | None = None
    # the proactive watcher (api/proactive_watch.py): every proactive_watch_s it reads new
    # trigger events; a customer with a bot chat active within proactive_open_chat_s gets
    # the offer in it at once, others a customer.proactive_offer webhook
    proactive_watch: bool = True
    proactive_watch_s: float = Field(default=2.0, gt=0, le=3600)
    proactive_open_chat_s: float = Field(default=1800.0, gt=0)
    # suggested replies learn from agents (api/suggestion_learning.py, retrieval/usage.py):
    # every suggestion_learning_s the use rates of the last suggestion_learning_days of
    # feedback are rebuilt; suggestion_learning_weight: score points per unit of use rate
    # above the request's overall one (0, the default: only the guard; choose it on your own
    # log with make bench-suggestions LOG=...), ..._explore: a new reply's guard
    suggestion_learning: bool = True
    suggestion_learning_s: float = Field(default=60.0, gt=0, le=86400)
    suggestion_learning_days: float = Field(default=90.0, gt=0, le=3660)
    suggestion_learning_weight: float = Field(default=0.0, ge=0, le=10)
    suggestion_learning_explore: float = Field(default=0.1, ge=0, le=10)
    # randomised impressions (retrieval/ranker.py Randomiser): this share of the suggestion
    # lists is a uniformly random ordered sample of the ranking's top suggestion_random_pool,
    # each suggestion with its position and propensity, which the agent panel sends back
    # with its feedback; make bench-suggestions LOG=... then estimates a learned ranking
    # on the log without bias. 0 (the default): every list as ranked
    suggestion_random_rate: float = Field(default=0.0, ge=0, le=0.5)
    suggestion_random_pool: int = Field(default=10, ge=2, le=50)
    # the ranking a replay of the feedback log chose (retrieval/ranking_policy.py, written
    # by make bench-suggestions LOG=... POLICY=FILE): a learned re-ranker of the fixed
    # top pool, or the use rates' weight; None (the default): the fixed weights
    suggestion_policy: Path | None = None
    # a known customer's new conversation opens by recalling their last wrap-up this recent
    # (api/conversations/opening.py); 0: never
    recall_days: int = Field(default=14, ge=0, le=365)
    # routing (docs/api.md#the-hand-off-queue): each agent's limit of concurrent chats
    # (an admin may set one per agent); a claim or a transfer beyond it is refused (409)
    agent_max_chats: int = Field(default=3, ge=1, le=100)
    # an agent counts as present while their panel's last request is this recent (the
    # panel asks every 30 s); only present, online agents count in the expected wait and
    # get chats from auto-assignment
    presence_timeout_s: float = Field(default=120.0, ge=30, le=3600)
    # auto-assignment (api/conversations/dispatch.py): every auto_assign_s each waiting
    # conversation, highest priority first, goes to the available agent serving its queue
    # with the fewest open chats under their limit; off: agents claim from the queue
    auto_assign: bool = False
    auto_assign_s: float = Field(default=2.0, gt=0, le=300)
    # a conversation auto-assignment gave an agent who has not written to it within
    # auto_assign_answer_s goes back to its queue (its place in time kept) and the agent
    # is set away until they set themselves online again; 0: it stays with them
    auto_assign_answer_s: float = Field(default=90.0, ge=0, le=3600)
    transfer_note_chars: int = Field(default=1000, ge=1, le=10_000)
    # the hand-off queue (docs/api.md#the-hand-off-queue): ranked by an additive
    # priority whose weights are in queue_weights (default: data/queue.yml, checked at
    # start-up); a conversation waiting past queue_target_wait_s climbs, so nobody starves
    queue_weights: Path | None = None
    queue_target_wait_s: float = Field(default=120.0, gt=0, le=86400)
    # the customer's expected wait: median hand-off -> claim of this window's claims
    queue_wait_window_s: float = Field(default=3 * 3600.0, gt=0)
    # abandonment: a waiting customer with no sign of life (a message, a poll) this long is
    # closed as abandoned; one whose page said it was leaving, after this grace (a reload or
    # the site's next page resumes the chat within it); the sweep runs every queue_sweep_s
    queue_abandon_after_s: float = Field(default=900.0, gt=0)
    queue_leave_grace_s: float = Field(default=60.0, ge=0)
    queue_sweep: bool = True
    queue_sweep_s: float = Field(default=30.0, gt=0, le=3600)
    rasa_url: str | None = "http://127.0.0.1:5005"  # None: no bot, every turn goes to a person
    rasa_token: str | None = None  # Rasa's --auth-token (tracker pause / resume)
    # HMAC key shared with the bot's action server: signs the customer id sent with each
    # message (api/conversations/bot.py); unset: the actions ask the API for the customer
    bot_secret: str | None = None
    bot_timeout_s: float = Field(default=5.0, gt=0, le=60)
    agent_token_ttl_s: int = Field(default=8 * 3600, ge=60)
    max_recent_turns: int = Field(default=20, ge=1, le=200)
    # outbound webhooks (ownership changes), signed with HMAC-SHA256 of secret_key
    webhook_urls: list[str] = Field(default_factory=list)
    webhook_max_attempts: int = Field(default=5, ge=1, le=20)
    webhook_backoff_s: float = Field(default=1.0, ge=0)
    # subscriptions (POST /v1/webhooks/subscriptions) may target loopback / private
    # networks only when this is set (SSRF protection); configured URLs are trusted
    webhook_allow_private: bool = False
    # several API workers: Redis pub/sub fans conversation events out across them
    # (e.g. redis://127.0.0.1:6379/0); unset: in-process fan-out (one worker)
    redis_url: str | None = None
    # origins of sites that embed the chat widget (CORS); the API's own pages need none
    cors_origins: list[str] = Field(default_factory=list)
    # Chatwoot agent bot (api/integrations/chatwoot.py, docs/api.md#chatwoot): off, and
    # POST /v1/integrations/chatwoot/webhook answers 404, until url, bot token, webhook
    # secret and account id are all set
    chatwoot_url: str | None = None  # where Chatwoot's API is, e.g. https://chat.example
    chatwoot_bot_token: str | None = None  # the agent bot's access token (api_access_token)
    # the agent bot's secret: Chatwoot (4.13+) signs each event with it (X-Chatwoot-Signature)
    chatwoot_webhook_secret: str | None = None
    chatwoot_account_id: int | None = None  # events of other accounts are refused (403)
    chatwoot_inbox_ids: list[int] = Field(default_factory=list)  # empty: every inbox of it
    # find the product customer by a contact's identifier / e-mail even when Chatwoot did
    # not verify the contact's identity (hmac_verified); off: only verified contacts
    chatwoot_trust_contacts: bool = False
    # observability (docs/observability.md): log lines as text (readable in a terminal) or
    # one JSON object a line (time, level, logger, message, request_id, pid; uvicorn's
    # access lines add method, path, status); secrets are masked in both
    log_format: Literal["text", "json"] = "text"
    # OpenTelemetry traces of FastAPI, SQLAlchemy and httpx (api/tracing.py); off: nothing
    # of OpenTelemetry is imported. otel_endpoint: an OTLP/HTTP collector's base URL (spans
    # go to {otel_endpoint}/v1/traces); unset: spans are printed to stderr
    otel: bool = False
    otel_endpoint: str | None = None
    # per-credential rate limit (requests per minute; 0: off)
    rate_limit_per_minute: int = Field(default=1200, ge=0)
    # limits per client address / embedding site ("N/second|minute|hour"; "0": off),
    # api/throttle.py; shared between workers through Redis when redis_url is set
    login_limit_per_address: str = "30/minute"
    conversation_limit_per_address: str = "30/minute"  # anonymous conversation starts
    conversation_limit_per_site: str = "600/minute"  # by the page's Origin
    ws_limit_per_address: str = "120/minute"  # WebSocket connects
    intent_limit_per_address: str = "600/minute"  # unauthenticated POST /v1/intent
    # reverse proxies whose X-Forwarded-For is trusted for the client address (uvicorn's
    # forwarded_allow_ips); empty: the connection's address is the client's
    trusted_proxies: list[str] = Field(default_factory=list)
    # log-in: consecutive failures before a lock, the first lock (doubling), its cap, and
    # the failures after which only an admin can unlock the account
    login_max_failures: int = Field(default=5, ge=1)
    login_lock_s: float = Field(default=30.0, ge=0)
    login_max_lock_s: float = Field(default=900.0, ge=0)
    login_hard_lock_failures: int = Field(default=20, ge=2)
    password_hash_workers: int = Field(default=2, ge=1, le=16)
    max_pending_logins: int = Field(default=16, ge=1)
    # a closed conversation's customer token keeps reading its transcript this long
    customer_token_ttl_after_close_s: int = Field(default=900, ge=0)
    # open WebSockets re-check their credential this often (revocations reach other
    # workers' sockets at once through the hub; this catches expiry)
    ws_reauth_s: float = Field(default=30.0, gt=0)
    ws_auth_timeout_s: float = Field(default=10.0, gt=0)  # for the first (auth) message
    # request bodies above this are refused (413), whatever Content-Length says
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    # seeded in demo mode only (printed by `python -m api`)
    demo_agent: str = "alice"
    demo_agent_password: str = "demo-password"
    demo_supervisor: str = "sofia"  # role supervisor: the /supervisor page, analytics
    demo_supervisor_password: str = "demo-password"
    demo_api_key: str = "demo-assist-key"  # scopes: assist, ingest
    demo_admin_key: str = "demo-admin-key"  # scope: admin

    @model_validator(mode="after")
    def _no_demo_secrets_in_production(self) -> Settings:
        if self.mode == "production" and self.secret_key == DEMO_SECRET:
            raise ValueError(
                "AGENT_ASSIST_SECRET_KEY still has the demo value: set a real secret "
                "before running with AGENT_ASSIST_MODE=production"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
