from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.proactive_offer_public import ProactiveOfferPublic
from ...models.proactive_offer_v1_customers_customer_id_proactive_offer_get_language import (
    ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    customer_id: str,
    *,
    language: ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage
    | Unset = ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage.EN,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_language: str | Unset = UNSET
    if not isinstance(language, Unset):
        json_language = language.value

    params["language"] = json_language

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}/proactive-offer".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | ProactiveOfferPublic | None:
    if response.status_code == 200:
        response_200 = ProactiveOfferPublic.from_dict(response.json())

        return response_200

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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
) -> Response[Any | ErrorBody | ProactiveOfferPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    language: ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage
    | Unset = ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage.EN,
) -> Response[Any | ErrorBody | ProactiveOfferPublic]:
    """the proactive offer the bot would open this customer's next chat with, for the site to show before
    the chat is opened (API key with scope assist; read-only)

    Args:
        customer_id (str):
        language (ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage | Unset): the
            page's language Default: ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage.EN.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ProactiveOfferPublic]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        language=language,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    language: ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage
    | Unset = ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage.EN,
) -> Any | ErrorBody | ProactiveOfferPublic | None:
    """the proactive offer the bot would open this customer's next chat with, for the site to show before
    the chat is opened (API key with scope assist; read-only)

    Args:
        customer_id (str):
        language (ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage | Unset): the
            page's language Default: ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage.EN.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ProactiveOfferPublic
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
        language=language,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    language: ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage
    | Unset = ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage.EN,
) -> Response[Any | ErrorBody | ProactiveOfferPublic]:
    """the proactive offer the bot would open this customer's next chat with, for the site to show before
    the chat is opened (API key with scope assist; read-only)

    Args:
        customer_id (str):
        language (ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage | Unset): the
            page's language Default: ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage.EN.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ProactiveOfferPublic]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        language=language,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    language: ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage
    | Unset = ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage.EN,
) -> Any | ErrorBody | ProactiveOfferPublic | None:
    """the proactive offer the bot would open this customer's next chat with, for the site to show before
    the chat is opened (API key with scope assist; read-only)

    Args:
        customer_id (str):
        language (ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage | Unset): the
            page's language Default: ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage.EN.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ProactiveOfferPublic
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
            language=language,
        )
    ).parsed
