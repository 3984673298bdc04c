from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.conversation_public import ConversationPublic
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    conversation_id: str,
    *,
    x_acting_agent: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_acting_agent, Unset):
        headers["X-Acting-Agent"] = x_acting_agent

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/conversations/{conversation_id}/claim".format(
            conversation_id=quote(str(conversation_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConversationPublic | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ConversationPublic.from_dict(response.json())

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
) -> Response[ConversationPublic | ErrorBody]:
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
    x_acting_agent: None | str | Unset = UNSET,
) -> Response[ConversationPublic | ErrorBody]:
    """an agent takes the conversation (409 if another agent has it, if the agent is away or at their limit
    of concurrent chats, or if it waits outside their skills)

    Args:
        conversation_id (str):
        x_acting_agent (None | str | Unset): with an API key of scope desk: the agent this is done
            for

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationPublic | ErrorBody]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        x_acting_agent=x_acting_agent,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    x_acting_agent: None | str | Unset = UNSET,
) -> ConversationPublic | ErrorBody | None:
    """an agent takes the conversation (409 if another agent has it, if the agent is away or at their limit
    of concurrent chats, or if it waits outside their skills)

    Args:
        conversation_id (str):
        x_acting_agent (None | str | Unset): with an API key of scope desk: the agent this is done
            for

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationPublic | ErrorBody
    """

    return sync_detailed(
        conversation_id=conversation_id,
        client=client,
        x_acting_agent=x_acting_agent,
    ).parsed


async def asyncio_detailed(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    x_acting_agent: None | str | Unset = UNSET,
) -> Response[ConversationPublic | ErrorBody]:
    """an agent takes the conversation (409 if another agent has it, if the agent is away or at their limit
    of concurrent chats, or if it waits outside their skills)

    Args:
        conversation_id (str):
        x_acting_agent (None | str | Unset): with an API key of scope desk: the agent this is done
            for

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationPublic | ErrorBody]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        x_acting_agent=x_acting_agent,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    x_acting_agent: None | str | Unset = UNSET,
) -> ConversationPublic | ErrorBody | None:
    """an agent takes the conversation (409 if another agent has it, if the agent is away or at their limit
    of concurrent chats, or if it waits outside their skills)

    Args:
        conversation_id (str):
        x_acting_agent (None | str | Unset): with an API key of scope desk: the agent this is done
            for

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationPublic | ErrorBody
    """

    return (
        await asyncio_detailed(
            conversation_id=conversation_id,
            client=client,
            x_acting_agent=x_acting_agent,
        )
    ).parsed
