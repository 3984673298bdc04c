import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.unanswered import Unanswered
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    below: float | Unset = 0.5,
    similarity: float | Unset = 0.3,
    min_size: int | Unset = 2,
    limit: int | Unset = 1000,
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

    params["below"] = below

    params["similarity"] = similarity

    params["min_size"] = min_size

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/analytics/unanswered",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | Unanswered | None:
    if response.status_code == 200:
        response_200 = Unanswered.from_dict(response.json())

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
) -> Response[ErrorBody | Unanswered]:
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
    below: float | Unset = 0.5,
    similarity: float | Unset = 0.3,
    min_size: int | Unset = 2,
    limit: int | Unset = 1000,
) -> Response[ErrorBody | Unanswered]:
    """what customers ask that the bot cannot do: out-of-scope and unsure turns of a period clustered by
    meaning, biggest first, with examples and trend (a supervisor or an admin key)

    Args:
        since (datetime.datetime | None | Unset): default: 7 days before `until`
        until (datetime.datetime | None | Unset): default: now
        below (float | Unset): unsure below this confidence Default: 0.5.
        similarity (float | Unset): mean cosine within a cluster (MiniLM: 0.3 groups by topic)
            Default: 0.3.
        min_size (int | Unset):  Default: 2.
        limit (int | Unset): most recent turns read Default: 1000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Unanswered]
    """

    kwargs = _get_kwargs(
        since=since,
        until=until,
        below=below,
        similarity=similarity,
        min_size=min_size,
        limit=limit,
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
    below: float | Unset = 0.5,
    similarity: float | Unset = 0.3,
    min_size: int | Unset = 2,
    limit: int | Unset = 1000,
) -> ErrorBody | Unanswered | None:
    """what customers ask that the bot cannot do: out-of-scope and unsure turns of a period clustered by
    meaning, biggest first, with examples and trend (a supervisor or an admin key)

    Args:
        since (datetime.datetime | None | Unset): default: 7 days before `until`
        until (datetime.datetime | None | Unset): default: now
        below (float | Unset): unsure below this confidence Default: 0.5.
        similarity (float | Unset): mean cosine within a cluster (MiniLM: 0.3 groups by topic)
            Default: 0.3.
        min_size (int | Unset):  Default: 2.
        limit (int | Unset): most recent turns read Default: 1000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Unanswered
    """

    return sync_detailed(
        client=client,
        since=since,
        until=until,
        below=below,
        similarity=similarity,
        min_size=min_size,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    below: float | Unset = 0.5,
    similarity: float | Unset = 0.3,
    min_size: int | Unset = 2,
    limit: int | Unset = 1000,
) -> Response[ErrorBody | Unanswered]:
    """what customers ask that the bot cannot do: out-of-scope and unsure turns of a period clustered by
    meaning, biggest first, with examples and trend (a supervisor or an admin key)

    Args:
        since (datetime.datetime | None | Unset): default: 7 days before `until`
        until (datetime.datetime | None | Unset): default: now
        below (float | Unset): unsure below this confidence Default: 0.5.
        similarity (float | Unset): mean cosine within a cluster (MiniLM: 0.3 groups by topic)
            Default: 0.3.
        min_size (int | Unset):  Default: 2.
        limit (int | Unset): most recent turns read Default: 1000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Unanswered]
    """

    kwargs = _get_kwargs(
        since=since,
        until=until,
        below=below,
        similarity=similarity,
        min_size=min_size,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    below: float | Unset = 0.5,
    similarity: float | Unset = 0.3,
    min_size: int | Unset = 2,
    limit: int | Unset = 1000,
) -> ErrorBody | Unanswered | None:
    """what customers ask that the bot cannot do: out-of-scope and unsure turns of a period clustered by
    meaning, biggest first, with examples and trend (a supervisor or an admin key)

    Args:
        since (datetime.datetime | None | Unset): default: 7 days before `until`
        until (datetime.datetime | None | Unset): default: now
        below (float | Unset): unsure below this confidence Default: 0.5.
        similarity (float | Unset): mean cosine within a cluster (MiniLM: 0.3 groups by topic)
            Default: 0.3.
        min_size (int | Unset):  Default: 2.
        limit (int | Unset): most recent turns read Default: 1000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Unanswered
    """

    return (
        await asyncio_detailed(
            client=client,
            since=since,
            until=until,
            below=below,
            similarity=similarity,
            min_size=min_size,
            limit=limit,
        )
    ).parsed
