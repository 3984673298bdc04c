from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.conversation_public import ConversationPublic
from ...models.customer_conversation_public import CustomerConversationPublic
from ...models.error_body import ErrorBody
from ...models.leave_request import LeaveRequest
from ...types import Response


def _get_kwargs(
    conversation_id: str,
    *,
    body: LeaveRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/conversations/{conversation_id}/leave".format(
            conversation_id=quote(str(conversation_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConversationPublic | CustomerConversationPublic | ErrorBody | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> ConversationPublic | CustomerConversationPublic:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = ConversationPublic.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = CustomerConversationPublic.from_dict(data)

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
) -> Response[ConversationPublic | CustomerConversationPublic | ErrorBody]:
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
    body: LeaveRequest,
) -> Response[ConversationPublic | CustomerConversationPublic | ErrorBody]:
    """the customer left the queue (their token, or an agent / admin key): ended closes it now as
    abandoned; page_left closes it unless they come back within the grace. Idempotent

    Args:
        conversation_id (str):
        body (LeaveRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationPublic | CustomerConversationPublic | ErrorBody]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: LeaveRequest,
) -> ConversationPublic | CustomerConversationPublic | ErrorBody | None:
    """the customer left the queue (their token, or an agent / admin key): ended closes it now as
    abandoned; page_left closes it unless they come back within the grace. Idempotent

    Args:
        conversation_id (str):
        body (LeaveRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationPublic | CustomerConversationPublic | ErrorBody
    """

    return sync_detailed(
        conversation_id=conversation_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: LeaveRequest,
) -> Response[ConversationPublic | CustomerConversationPublic | ErrorBody]:
    """the customer left the queue (their token, or an agent / admin key): ended closes it now as
    abandoned; page_left closes it unless they come back within the grace. Idempotent

    Args:
        conversation_id (str):
        body (LeaveRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationPublic | CustomerConversationPublic | ErrorBody]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: LeaveRequest,
) -> ConversationPublic | CustomerConversationPublic | ErrorBody | None:
    """the customer left the queue (their token, or an agent / admin key): ended closes it now as
    abandoned; page_left closes it unless they come back within the grace. Idempotent

    Args:
        conversation_id (str):
        body (LeaveRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationPublic | CustomerConversationPublic | ErrorBody
    """

    return (
        await asyncio_detailed(
            conversation_id=conversation_id,
            client=client,
            body=body,
        )
    ).parsed
