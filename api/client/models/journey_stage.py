from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.evidence import Evidence
    from ..models.journey_stage_scores import JourneyStageScores


T = TypeVar("T", bound="JourneyStage")


@_attrs_define
class JourneyStage:
    """
    Attributes:
        confidence (float): share of the total score held by `stage`
        scores (JourneyStageScores):
        stage (str): a stage of the configured stage model (GET /v1/journey/model lists them): aware / consider /
            purchase / onboard / support / retain / advocate (lifecycle) or aware / appeal / ask / act / advocate (5a)
        evidence (list[Evidence] | Unset): largest first
        label (str | Unset): the stage for people, English and Chinese: "Ask · 问询" Default: ''.
        model (None | str | Unset): the stage model: lifecycle or 5a
    """

    confidence: float
    scores: JourneyStageScores
    stage: str
    evidence: list[Evidence] | Unset = UNSET
    label: str | Unset = ""
    model: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        confidence = self.confidence

        scores = self.scores.to_dict()

        stage = self.stage

        evidence: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = []
            for evidence_item_data in self.evidence:
                evidence_item = evidence_item_data.to_dict()
                evidence.append(evidence_item)

        label = self.label

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "confidence": confidence,
                "scores": scores,
                "stage": stage,
            }
        )
        if evidence is not UNSET:
            field_dict["evidence"] = evidence
        if label is not UNSET:
            field_dict["label"] = label
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.evidence import Evidence
        from ..models.journey_stage_scores import JourneyStageScores

        d = dict(src_dict)
        confidence = d.pop("confidence")

        scores = JourneyStageScores.from_dict(d.pop("scores"))

        stage = d.pop("stage")

        _evidence = d.pop("evidence", UNSET)
        evidence: list[Evidence] | Unset = UNSET
        if _evidence is not UNSET:
            evidence = []
            for evidence_item_data in _evidence:
                evidence_item = Evidence.from_dict(evidence_item_data)

                evidence.append(evidence_item)

        label = d.pop("label", UNSET)

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        journey_stage = cls(
            confidence=confidence,
            scores=scores,
            stage=stage,
            evidence=evidence,
            label=label,
            model=model,
        )

        journey_stage.additional_properties = d
        return journey_stage

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
