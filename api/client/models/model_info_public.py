from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_info_public_languages_item import ModelInfoPublicLanguagesItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_info_public_runtime import ModelInfoPublicRuntime
    from ..models.model_info_public_training import ModelInfoPublicTraining
    from ..models.model_info_public_validation import ModelInfoPublicValidation


T = TypeVar("T", bound="ModelInfoPublic")


@_attrs_define
class ModelInfoPublic:
    """
    Attributes:
        labels (list[str]):
        ngram_weight (float):
        oos_label (str):
        oos_threshold (float):
        temperature (float):
        training (ModelInfoPublicTraining):
        validation (ModelInfoPublicValidation):
        languages (list[ModelInfoPublicLanguagesItem] | Unset): the languages with a model of their own (turns are
            routed by script)
        runtime (ModelInfoPublicRuntime | Unset): what runs each language's classifier: `onnx-int8` (the int8 graph,
            verified on the model's check texts), `onnx` (the float graph, verified against PyTorch), `pytorch`, or the name
            of a packaged encoder
        version (None | str | Unset): the model registry version serving (python -m intent registry); null when the
            model comes from model_dir without a registry
    """

    labels: list[str]
    ngram_weight: float
    oos_label: str
    oos_threshold: float
    temperature: float
    training: ModelInfoPublicTraining
    validation: ModelInfoPublicValidation
    languages: list[ModelInfoPublicLanguagesItem] | Unset = UNSET
    runtime: ModelInfoPublicRuntime | Unset = UNSET
    version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        labels = self.labels

        ngram_weight = self.ngram_weight

        oos_label = self.oos_label

        oos_threshold = self.oos_threshold

        temperature = self.temperature

        training = self.training.to_dict()

        validation = self.validation.to_dict()

        languages: list[str] | Unset = UNSET
        if not isinstance(self.languages, Unset):
            languages = []
            for languages_item_data in self.languages:
                languages_item = languages_item_data.value
                languages.append(languages_item)

        runtime: dict[str, Any] | Unset = UNSET
        if not isinstance(self.runtime, Unset):
            runtime = self.runtime.to_dict()

        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "labels": labels,
                "ngram_weight": ngram_weight,
                "oos_label": oos_label,
                "oos_threshold": oos_threshold,
                "temperature": temperature,
                "training": training,
                "validation": validation,
            }
        )
        if languages is not UNSET:
            field_dict["languages"] = languages
        if runtime is not UNSET:
            field_dict["runtime"] = runtime
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.model_info_public_runtime import ModelInfoPublicRuntime
        from ..models.model_info_public_training import ModelInfoPublicTraining
        from ..models.model_info_public_validation import ModelInfoPublicValidation

        d = dict(src_dict)
        labels = cast(list[str], d.pop("labels"))

        ngram_weight = d.pop("ngram_weight")

        oos_label = d.pop("oos_label")

        oos_threshold = d.pop("oos_threshold")

        temperature = d.pop("temperature")

        training = ModelInfoPublicTraining.from_dict(d.pop("training"))

        validation = ModelInfoPublicValidation.from_dict(d.pop("validation"))

        _languages = d.pop("languages", UNSET)
        languages: list[ModelInfoPublicLanguagesItem] | Unset = UNSET
        if _languages is not UNSET:
            languages = []
            for languages_item_data in _languages:
                languages_item = ModelInfoPublicLanguagesItem(languages_item_data)

                languages.append(languages_item)

        _runtime = d.pop("runtime", UNSET)
        runtime: ModelInfoPublicRuntime | Unset
        if isinstance(_runtime, Unset):
            runtime = UNSET
        else:
            runtime = ModelInfoPublicRuntime.from_dict(_runtime)

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        model_info_public = cls(
            labels=labels,
            ngram_weight=ngram_weight,
            oos_label=oos_label,
            oos_threshold=oos_threshold,
            temperature=temperature,
            training=training,
            validation=validation,
            languages=languages,
            runtime=runtime,
            version=version,
        )

        model_info_public.additional_properties = d
        return model_info_public

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
