from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.leave_request_departure import LeaveRequestDeparture
from ..types import UNSET, Unset

T = TypeVar("T", bound="LeaveRequest")


@_attrs_define
class LeaveRequest:
    """
    Attributes:
        departure (LeaveRequestDeparture | Unset): ended: the customer ended the chat, closed now; page_left: their page
            closed or navigated away, closed unless they come back within settings.queue_leave_grace_s (a reload or the
            site's next page resumes the chat) Default: LeaveRequestDeparture.ENDED.
    """

    departure: LeaveRequestDeparture | Unset = LeaveRequestDeparture.ENDED

    def to_dict(self) -> dict[str, Any]:
        departure: str | Unset = UNSET
        if not isinstance(self.departure, Unset):
            departure = self.departure.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if departure is not UNSET:
            field_dict["departure"] = departure

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _departure = d.pop("departure", UNSET)
        departure: LeaveRequestDeparture | Unset
        if isinstance(_departure, Unset):
            departure = UNSET
        else:
            departure = LeaveRequestDeparture(_departure)

        leave_request = cls(
            departure=departure,
        )

        return leave_request
