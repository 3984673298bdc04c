from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customer_turn_outcome_public import CustomerTurnOutcomePublic
from ...models.error_body import ErrorBody
from ...models.message_create import MessageCreate
from ...models.turn_outcome_public import TurnOutcomePublic
from ...types import UNSET, Response, Unset


def _get_kwargs(
    conversation_id: str,
    *,
    body: MessageCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/conversations/{conversation_id}/messages".format(
            conversation_id=quote(str(conversation_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> CustomerTurnOutcomePublic | TurnOutcomePublic:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = TurnOutcomePublic.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = CustomerTurnOutcomePublic.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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
) -> Response[CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: MessageCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody]:
    """one customer turn: stored first (once per Idempotency-Key), classified, then routed to the bot or an
    agent

    Args:
        conversation_id (str):
        idempotency_key (None | str | Unset):
        body (MessageCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: MessageCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody | None:
    """one customer turn: stored first (once per Idempotency-Key), classified, then routed to the bot or an
    agent

    Args:
        conversation_id (str):
        idempotency_key (None | str | Unset):
        body (MessageCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody
    """

    return sync_detailed(
        conversation_id=conversation_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: MessageCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody]:
    """one customer turn: stored first (once per Idempotency-Key), classified, then routed to the bot or an
    agent

    Args:
        conversation_id (str):
        idempotency_key (None | str | Unset):
        body (MessageCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: MessageCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody | None:
    """one customer turn: stored first (once per Idempotency-Key), classified, then routed to the bot or an
    agent

    Args:
        conversation_id (str):
        idempotency_key (None | str | Unset):
        body (MessageCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerTurnOutcomePublic | TurnOutcomePublic | ErrorBody
    """

    return (
        await asyncio_detailed(
            conversation_id=conversation_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
