import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.edited_suggestions import EditedSuggestions
from ...models.edited_v1_analytics_edited_suggestions_get_format import (
    EditedV1AnalyticsEditedSuggestionsGetFormat,
)
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    min_edits: int | Unset = 3,
    format_: EditedV1AnalyticsEditedSuggestionsGetFormat
    | Unset = EditedV1AnalyticsEditedSuggestionsGetFormat.JSON,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    json_until: None | str | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    elif isinstance(until, datetime.datetime):
        json_until = until.isoformat()
    else:
        json_until = until
    params["until"] = json_until

    params["min_edits"] = min_edits

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/analytics/edited-suggestions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EditedSuggestions | ErrorBody | None:
    if response.status_code == 200:
        response_200 = EditedSuggestions.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EditedSuggestions | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    min_edits: int | Unset = 3,
    format_: EditedV1AnalyticsEditedSuggestionsGetFormat
    | Unset = EditedV1AnalyticsEditedSuggestionsGetFormat.JSON,
) -> Response[EditedSuggestions | ErrorBody]:
    """suggested replies agents keep editing, with the versions they sent instead: candidates for new
    templates (format=yaml: as response-bank items to review)

    Args:
        since (datetime.datetime | None | Unset): default: 30 days before `until`
        until (datetime.datetime | None | Unset): default: now
        min_edits (int | Unset):  Default: 3.
        format_ (EditedV1AnalyticsEditedSuggestionsGetFormat | Unset):  Default:
            EditedV1AnalyticsEditedSuggestionsGetFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EditedSuggestions | ErrorBody]
    """

    kwargs = _get_kwargs(
        since=since,
        until=until,
        min_edits=min_edits,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    min_edits: int | Unset = 3,
    format_: EditedV1AnalyticsEditedSuggestionsGetFormat
    | Unset = EditedV1AnalyticsEditedSuggestionsGetFormat.JSON,
) -> EditedSuggestions | ErrorBody | None:
    """suggested replies agents keep editing, with the versions they sent instead: candidates for new
    templates (format=yaml: as response-bank items to review)

    Args:
        since (datetime.datetime | None | Unset): default: 30 days before `until`
        until (datetime.datetime | None | Unset): default: now
        min_edits (int | Unset):  Default: 3.
        format_ (EditedV1AnalyticsEditedSuggestionsGetFormat | Unset):  Default:
            EditedV1AnalyticsEditedSuggestionsGetFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EditedSuggestions | ErrorBody
    """

    return sync_detailed(
        client=client,
        since=since,
        until=until,
        min_edits=min_edits,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    min_edits: int | Unset = 3,
    format_: EditedV1AnalyticsEditedSuggestionsGetFormat
    | Unset = EditedV1AnalyticsEditedSuggestionsGetFormat.JSON,
) -> Response[EditedSuggestions | ErrorBody]:
    """suggested replies agents keep editing, with the versions they sent instead: candidates for new
    templates (format=yaml: as response-bank items to review)

    Args:
        since (datetime.datetime | None | Unset): default: 30 days before `until`
        until (datetime.datetime | None | Unset): default: now
        min_edits (int | Unset):  Default: 3.
        format_ (EditedV1AnalyticsEditedSuggestionsGetFormat | Unset):  Default:
            EditedV1AnalyticsEditedSuggestionsGetFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EditedSuggestions | ErrorBody]
    """

    kwargs = _get_kwargs(
        since=since,
        until=until,
        min_edits=min_edits,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    min_edits: int | Unset = 3,
    format_: EditedV1AnalyticsEditedSuggestionsGetFormat
    | Unset = EditedV1AnalyticsEditedSuggestionsGetFormat.JSON,
) -> EditedSuggestions | ErrorBody | None:
    """suggested replies agents keep editing, with the versions they sent instead: candidates for new
    templates (format=yaml: as response-bank items to review)

    Args:
        since (datetime.datetime | None | Unset): default: 30 days before `until`
        until (datetime.datetime | None | Unset): default: now
        min_edits (int | Unset):  Default: 3.
        format_ (EditedV1AnalyticsEditedSuggestionsGetFormat | Unset):  Default:
            EditedV1AnalyticsEditedSuggestionsGetFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EditedSuggestions | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            since=since,
            until=until,
            min_edits=min_edits,
            format_=format_,
        )
    ).parsed
