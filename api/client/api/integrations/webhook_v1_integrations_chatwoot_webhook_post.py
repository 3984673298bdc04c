from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chatwoot_ack import ChatwootAck
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    x_chatwoot_signature: None | str | Unset = UNSET,
    x_chatwoot_timestamp: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_chatwoot_signature, Unset):
        headers["x-chatwoot-signature"] = x_chatwoot_signature

    if not isinstance(x_chatwoot_timestamp, Unset):
        headers["x-chatwoot-timestamp"] = x_chatwoot_timestamp

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/integrations/chatwoot/webhook",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChatwootAck | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ChatwootAck.from_dict(response.json())

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
) -> Response[ChatwootAck | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    x_chatwoot_signature: None | str | Unset = UNSET,
    x_chatwoot_timestamp: None | str | Unset = UNSET,
) -> Response[ChatwootAck | ErrorBody]:
    """Chatwoot agent-bot events: a contact's message is stored, routed to the bot or a person, and
    answered through Chatwoot's API (404 when Chatwoot is not configured)

    Args:
        x_chatwoot_signature (None | str | Unset): sha256=<hex HMAC of timestamp.body, bot's
            secret>
        x_chatwoot_timestamp (None | str | Unset): Unix seconds; older than 5 minutes is refused

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatwootAck | ErrorBody]
    """

    kwargs = _get_kwargs(
        x_chatwoot_signature=x_chatwoot_signature,
        x_chatwoot_timestamp=x_chatwoot_timestamp,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    x_chatwoot_signature: None | str | Unset = UNSET,
    x_chatwoot_timestamp: None | str | Unset = UNSET,
) -> ChatwootAck | ErrorBody | None:
    """Chatwoot agent-bot events: a contact's message is stored, routed to the bot or a person, and
    answered through Chatwoot's API (404 when Chatwoot is not configured)

    Args:
        x_chatwoot_signature (None | str | Unset): sha256=<hex HMAC of timestamp.body, bot's
            secret>
        x_chatwoot_timestamp (None | str | Unset): Unix seconds; older than 5 minutes is refused

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatwootAck | ErrorBody
    """

    return sync_detailed(
        client=client,
        x_chatwoot_signature=x_chatwoot_signature,
        x_chatwoot_timestamp=x_chatwoot_timestamp,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    x_chatwoot_signature: None | str | Unset = UNSET,
    x_chatwoot_timestamp: None | str | Unset = UNSET,
) -> Response[ChatwootAck | ErrorBody]:
    """Chatwoot agent-bot events: a contact's message is stored, routed to the bot or a person, and
    answered through Chatwoot's API (404 when Chatwoot is not configured)

    Args:
        x_chatwoot_signature (None | str | Unset): sha256=<hex HMAC of timestamp.body, bot's
            secret>
        x_chatwoot_timestamp (None | str | Unset): Unix seconds; older than 5 minutes is refused

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatwootAck | ErrorBody]
    """

    kwargs = _get_kwargs(
        x_chatwoot_signature=x_chatwoot_signature,
        x_chatwoot_timestamp=x_chatwoot_timestamp,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    x_chatwoot_signature: None | str | Unset = UNSET,
    x_chatwoot_timestamp: None | str | Unset = UNSET,
) -> ChatwootAck | ErrorBody | None:
    """Chatwoot agent-bot events: a contact's message is stored, routed to the bot or a person, and
    answered through Chatwoot's API (404 when Chatwoot is not configured)

    Args:
        x_chatwoot_signature (None | str | Unset): sha256=<hex HMAC of timestamp.body, bot's
            secret>
        x_chatwoot_timestamp (None | str | Unset): Unix seconds; older than 5 minutes is refused

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatwootAck | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            x_chatwoot_signature=x_chatwoot_signature,
            x_chatwoot_timestamp=x_chatwoot_timestamp,
        )
    ).parsed
