"""The journey-stage model on the wire (`GET /v1/journey/model`): which stage model the
service runs and how people name its stages. Every `stage`, `scores` key and evidence
`stage` of the assist payload, the customer context and the timeline is one of these
names; a panel shows `label` for it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from retrieval.journey_rules import JourneyRules


class StagePublic(BaseModel):
    name: str = Field(description="the stage as the API and the rules name it, e.g. ask")
    en: str = Field(description="English display name, e.g. Ask")
    zh: str = Field(description="Chinese display name, e.g. 问询 (empty when none is set)")
    label: str = Field(description="for people, English · Chinese, e.g. Ask · 问询")


class JourneyModelPublic(BaseModel):
    model: str = Field(
        description="the stage model in use: lifecycle (seven stages) or 5a (Aware, Appeal, "
        "Ask, Act, Advocate), or another model of data/journey/model.yml; chosen there or by "
        "AGENT_ASSIST_JOURNEY_MODEL"
    )
    title: str = Field(description="one line about the model")
    stages: list[StagePublic] = Field(description="the model's stages, in journey order")

    @classmethod
    def of(cls, journey: JourneyRules) -> JourneyModelPublic:
        return cls(
            model=journey.model or "custom",
            title=journey.title,
            stages=[
                StagePublic(name=s.name, en=s.en, zh=s.zh, label=s.label) for s in journey.stages
            ],
        )
