"""The suggested replies learn from what agents do with them (issue #16 part 2): a
background task of each API worker rebuilds, every `suggestion_learning_s`, the use rates
of retrieval/usage.py from the feedback log of the last `suggestion_learning_days` and
hands them to the ranker, which adds them to its fixed weights.

An impression is one suggestion shown in one conversation (the agent panel records
"shown" once per conversation and suggestion) with what the agent did with it there:
used or edited (a use), dismissed, or nothing. Its context is the intent of the customer
turn it was shown for (the feedback row's `predicted_intent`, filled from the turn) and
the journey stage the customer was in when the conversation started (api/
analytics_journey.py); feedback sent without a conversation (a CCaaS tool on the
stateless `POST /v1/assist`) is grouped by its turn (else each row is one), by intent
only.

What a replay of that log chose (retrieval/ranking_policy.py) is served by `serve_policy`
at start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.analytics_journey import StageClock
from api.background import every
from api.config import Settings
from api.storage.tables import ConversationRow, FeedbackRow
from retrieval.errors import ConfigError
from retrieval.journey import JourneyModel
from retrieval.ranker import HybridRanker
from retrieval.ranking_policy import load_policy
from retrieval.usage import Impression, UsagePrior, UsageSettings

log = logging.getLogger("api.suggestions")
USES = frozenset({"used", "edited"})


def impressions(
    engine: Engine,
    since: datetime,
    until: datetime,
    journey: JourneyModel | None = None,
) -> list[Impression]:
    """The impressions of the feedback recorded in [since, until) (naive UTC)."""
    with Session(engine) as s:
        rows = list(
            s.scalars(
                select(FeedbackRow)
                .where(
                    FeedbackRow.kind == "suggestion",
                    FeedbackRow.ts >= since,
                    FeedbackRow.ts < until,
                )
                .order_by(FeedbackRow.id)
            )
        )
        ids = sorted({r.conversation_id for r in rows if r.conversation_id})
        convs = {
            c.id: (c.customer_id, c.created_at)
            for k in range(0, len(ids), 500)
            for c in s.scalars(
                select(ConversationRow).where(ConversationRow.id.in_(ids[k : k + 500]))
            )
        }
    grouped: dict[tuple[str, str], list[FeedbackRow]] = {}
    for r in rows:
        if r.suggestion_id:  # one impression per conversation (else turn, else row)
            where = r.conversation_id or (f"turn:{r.turn_id}" if r.turn_id else f"row:{r.id}")
            grouped.setdefault((where, r.suggestion_id), []).append(r)
    clock = None
    if journey is not None and convs:
        customers = [cid for cid, _ in convs.values() if cid]
        first = min(created for _, created in convs.values())
        clock = StageClock(engine, journey, customers, first, until)
    out: list[Impression] = []
    for (conversation_id, suggestion_id), said in grouped.items():
        intent = next((r.predicted_intent for r in said if r.predicted_intent), None)
        stage = None
        if clock is not None and conversation_id in convs:
            customer, created = convs[conversation_id]
            stage = clock.at(customer, created, intent)
        actions = {r.action for r in said}
        out.append(
            Impression(suggestion_id, intent, stage, bool(actions & USES), "dismissed" in actions)
        )
    return out


class SuggestionLearner:
    def __init__(
        self,
        engine: Engine,
        apply: Callable[[UsagePrior], None],
        journey: JourneyModel | None = None,
        days: float = 90.0,
        settings: UsageSettings | None = None,
    ) -> None:
        self.engine = engine
        self.apply = apply
        self.journey = journey
        self.window = timedelta(days=days)
        self.settings = settings or UsageSettings()

    def refresh(self, now: datetime | None = None) -> UsagePrior:
        """Rebuild the use rates from the log and hand them to the ranker."""
        end = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
        seen = impressions(self.engine, end - self.window, end, self.journey)
        prior = UsagePrior.learn(seen, self.settings)
        self.apply(prior)
        return prior

    async def run(self, interval_s: float, stop: asyncio.Event) -> None:
        async def step() -> None:
            prior = await asyncio.to_thread(self.refresh)
            log.debug("suggestion use rates: %d impressions", prior.impressions)

        await every(interval_s, stop, step, "suggestion learning")


def serve_policy(settings: Settings, ranker: HybridRanker) -> float:
    """Serve the ranking policy of `settings.suggestion_policy` (if any) on `ranker` and
    return the use rates' weight to learn with: the policy's when it ships use rates,
    else `settings.suggestion_learning_weight`. A re-ranker with randomised impressions
    needs the same pool (so that every reply it can show has a logged chance of being
    shown): otherwise, or for an invalid file, a `ConfigError` stops the start."""
    weight = settings.suggestion_learning_weight
    if settings.suggestion_policy is None:
        ranker.rerank, ranker.weights = None, ranker.fixed_weights
        return weight
    policy = load_policy(settings.suggestion_policy)
    reranker = policy.reranker()
    if (
        reranker is not None
        and ranker.randomise is not None
        and ranker.randomise.pool != reranker.pool
    ):
        raise ConfigError(
            str(settings.suggestion_policy),
            f"it re-ranks the top {reranker.pool} but AGENT_ASSIST_SUGGESTION_RANDOM_POOL is "
            f"{ranker.randomise.pool}: set them equal, or a replay of the log cannot judge "
            "the re-ranker",
        )
    policy.apply(ranker)
    if policy.ship == "use_rates" and policy.usage_weight is not None:
        weight = policy.usage_weight
    log.info(
        "suggestion policy %s: ships %s (chosen by %s on %d validation turns of %s)",
        settings.suggestion_policy,
        policy.ship,
        policy.evidence.select_by,
        policy.evidence.validation_turns,
        policy.evidence.log,
    )
    return weight
