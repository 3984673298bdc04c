from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ModelReloadPublic")


@_attrs_define
class ModelReloadPublic:
    """
    Attributes:
        model_dir (str): the directory the serving model was loaded from
        previous_version (None | str): the version that served before
        reloaded (bool): false: the registry's current version was already serving (force=true reloads it anyway)
        seconds (float): the time the new model took to load and verify
        version (None | str): the registry version serving now; null: model_dir without a registry
    """

    model_dir: str
    previous_version: None | str
    reloaded: bool
    seconds: float
    version: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_dir = self.model_dir

        previous_version: None | str
        previous_version = self.previous_version

        reloaded = self.reloaded

        seconds = self.seconds

        version: None | str
        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_dir": model_dir,
                "previous_version": previous_version,
                "reloaded": reloaded,
                "seconds": seconds,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        model_dir = d.pop("model_dir")

        def _parse_previous_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_version = _parse_previous_version(d.pop("previous_version"))

        reloaded = d.pop("reloaded")

        seconds = d.pop("seconds")

        def _parse_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        version = _parse_version(d.pop("version"))

        model_reload_public = cls(
            model_dir=model_dir,
            previous_version=previous_version,
            reloaded=reloaded,
            seconds=seconds,
            version=version,
        )

        model_reload_public.additional_properties = d
        return model_reload_public

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
