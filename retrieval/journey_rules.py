"""One journey stage model's whole configuration, loaded and checked together: its stages,
display names and evidence rules (`JourneyConfig`), the marketing suppression rules read
for it (`SuppressionRules`, whose `stages` rule must name its stages) and its
next-best-action rules (`NextBestActionRules`). The API loads it once at start-up, so a
wrong model name or a rule naming a stage the model lacks stops the start with the file
and the reason (`ConfigError`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from retrieval.context import ContextBuilder
from retrieval.journey import JourneyConfig, JourneyModel, StageName
from retrieval.nba import NextBestActionRules
from retrieval.stage_models import resolve
from retrieval.store import HistoryStore
from retrieval.suppression import SuppressionRules


@dataclass(frozen=True, slots=True)
class JourneyRules:
    config: JourneyConfig
    suppression: SuppressionRules
    actions: NextBestActionRules  # built on `suppression`: the context and the action agree
    title: str = ""  # the model's line in data/journey/model.yml

    @classmethod
    def load(cls, model: str | None = None, *, source: str = "") -> JourneyRules:
        """The stage model `model` of data/journey/model.yml (None: its active one).
        `source`: where the name came from (a setting), for the error when it is unknown."""
        entry = resolve(model, source=source)
        config = JourneyConfig.load(entry.stages_file, model=entry.name)
        suppression = SuppressionRules.load(model=entry.name)
        actions = NextBestActionRules.load(entry.actions_file, suppression, model=entry.name)
        return cls(config, suppression, actions, entry.title)

    @property
    def model(self) -> str | None:
        return self.config.model

    @property
    def stages(self) -> list[StageName]:
        """The stages in the model's order, with their display names."""
        return [self.config.display[s] for s in self.config.stages]

    def context(self, store: HistoryStore, **kw: Any) -> ContextBuilder:
        """A context builder on `store` with this model's stages and suppression."""
        return ContextBuilder(store, JourneyModel(self.config), suppression=self.suppression, **kw)
