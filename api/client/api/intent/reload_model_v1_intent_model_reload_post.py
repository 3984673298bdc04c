from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.model_reload_public import ModelReloadPublic
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    force: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["force"] = force

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/intent/model:reload",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ModelReloadPublic | None:
    if response.status_code == 200:
        response_200 = ModelReloadPublic.from_dict(response.json())

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
) -> Response[ErrorBody | ModelReloadPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    force: bool | Unset = False,
) -> Response[ErrorBody | ModelReloadPublic]:
    """load the model registry's current version and switch to it (admin)

     The new model is loaded and verified in the background while the old one serves; then it replaces it
    for every new turn, and requests already running finish on the old one. 409 `model_reload_failed`:
    it could not be loaded, the old one still serves. With several API workers, each follows the
    registry by itself (`model_reload_check_s`); this route reloads the worker that answers.

    Args:
        force (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ModelReloadPublic]
    """

    kwargs = _get_kwargs(
        force=force,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    force: bool | Unset = False,
) -> ErrorBody | ModelReloadPublic | None:
    """load the model registry's current version and switch to it (admin)

     The new model is loaded and verified in the background while the old one serves; then it replaces it
    for every new turn, and requests already running finish on the old one. 409 `model_reload_failed`:
    it could not be loaded, the old one still serves. With several API workers, each follows the
    registry by itself (`model_reload_check_s`); this route reloads the worker that answers.

    Args:
        force (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ModelReloadPublic
    """

    return sync_detailed(
        client=client,
        force=force,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    force: bool | Unset = False,
) -> Response[ErrorBody | ModelReloadPublic]:
    """load the model registry's current version and switch to it (admin)

     The new model is loaded and verified in the background while the old one serves; then it replaces it
    for every new turn, and requests already running finish on the old one. 409 `model_reload_failed`:
    it could not be loaded, the old one still serves. With several API workers, each follows the
    registry by itself (`model_reload_check_s`); this route reloads the worker that answers.

    Args:
        force (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ModelReloadPublic]
    """

    kwargs = _get_kwargs(
        force=force,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    force: bool | Unset = False,
) -> ErrorBody | ModelReloadPublic | None:
    """load the model registry's current version and switch to it (admin)

     The new model is loaded and verified in the background while the old one serves; then it replaces it
    for every new turn, and requests already running finish on the old one. 409 `model_reload_failed`:
    it could not be loaded, the old one still serves. With several API workers, each follows the
    registry by itself (`model_reload_check_s`); this route reloads the worker that answers.

    Args:
        force (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ModelReloadPublic
    """

    return (
        await asyncio_detailed(
            client=client,
            force=force,
        )
    ).parsed
