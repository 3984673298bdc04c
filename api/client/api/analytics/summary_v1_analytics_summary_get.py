import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.analytics_summary import AnalyticsSummary
from ...models.error_body import ErrorBody
from ...models.summary_v1_analytics_summary_get_channel_type_0 import (
    SummaryV1AnalyticsSummaryGetChannelType0,
)
from ...models.summary_v1_analytics_summary_get_format import (
    SummaryV1AnalyticsSummaryGetFormat,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    channel: None | SummaryV1AnalyticsSummaryGetChannelType0 | Unset = UNSET,
    agent: None | str | Unset = UNSET,
    intent: None | str | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    format_: SummaryV1AnalyticsSummaryGetFormat
    | Unset = SummaryV1AnalyticsSummaryGetFormat.JSON,
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

    json_channel: None | str | Unset
    if isinstance(channel, Unset):
        json_channel = UNSET
    elif isinstance(channel, SummaryV1AnalyticsSummaryGetChannelType0):
        json_channel = channel.value
    else:
        json_channel = channel
    params["channel"] = json_channel

    json_agent: None | str | Unset
    if isinstance(agent, Unset):
        json_agent = UNSET
    else:
        json_agent = agent
    params["agent"] = json_agent

    json_intent: None | str | Unset
    if isinstance(intent, Unset):
        json_intent = UNSET
    else:
        json_intent = intent
    params["intent"] = json_intent

    json_stage: None | str | Unset
    if isinstance(stage, Unset):
        json_stage = UNSET
    else:
        json_stage = stage
    params["stage"] = json_stage

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/analytics/summary",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AnalyticsSummary | ErrorBody | None:
    if response.status_code == 200:
        response_200 = AnalyticsSummary.from_dict(response.json())

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
) -> Response[AnalyticsSummary | ErrorBody]:
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
    channel: None | SummaryV1AnalyticsSummaryGetChannelType0 | Unset = UNSET,
    agent: None | str | Unset = UNSET,
    intent: None | str | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    format_: SummaryV1AnalyticsSummaryGetFormat
    | Unset = SummaryV1AnalyticsSummaryGetFormat.JSON,
) -> Response[AnalyticsSummary | ErrorBody]:
    """containment, hand-offs and their reasons, queue wait, first reply, CSAT, dispositions for
    conversations started in a period (a supervisor or an admin key)

    Args:
        since (datetime.datetime | None | Unset): default: 7 days before `until`
        until (datetime.datetime | None | Unset): default: now
        channel (None | SummaryV1AnalyticsSummaryGetChannelType0 | Unset):
        agent (None | str | Unset): who took them
        intent (None | str | Unset): first request
        stage (None | str | Unset): journey stage when they wrote (GET /v1/journey/model)
        format_ (SummaryV1AnalyticsSummaryGetFormat | Unset):  Default:
            SummaryV1AnalyticsSummaryGetFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsSummary | ErrorBody]
    """

    kwargs = _get_kwargs(
        since=since,
        until=until,
        channel=channel,
        agent=agent,
        intent=intent,
        stage=stage,
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
    channel: None | SummaryV1AnalyticsSummaryGetChannelType0 | Unset = UNSET,
    agent: None | str | Unset = UNSET,
    intent: None | str | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    format_: SummaryV1AnalyticsSummaryGetFormat
    | Unset = SummaryV1AnalyticsSummaryGetFormat.JSON,
) -> AnalyticsSummary | ErrorBody | None:
    """containment, hand-offs and their reasons, queue wait, first reply, CSAT, dispositions for
    conversations started in a period (a supervisor or an admin key)

    Args:
        since (datetime.datetime | None | Unset): default: 7 days before `until`
        until (datetime.datetime | None | Unset): default: now
        channel (None | SummaryV1AnalyticsSummaryGetChannelType0 | Unset):
        agent (None | str | Unset): who took them
        intent (None | str | Unset): first request
        stage (None | str | Unset): journey stage when they wrote (GET /v1/journey/model)
        format_ (SummaryV1AnalyticsSummaryGetFormat | Unset):  Default:
            SummaryV1AnalyticsSummaryGetFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsSummary | ErrorBody
    """

    return sync_detailed(
        client=client,
        since=since,
        until=until,
        channel=channel,
        agent=agent,
        intent=intent,
        stage=stage,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    channel: None | SummaryV1AnalyticsSummaryGetChannelType0 | Unset = UNSET,
    agent: None | str | Unset = UNSET,
    intent: None | str | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    format_: SummaryV1AnalyticsSummaryGetFormat
    | Unset = SummaryV1AnalyticsSummaryGetFormat.JSON,
) -> Response[AnalyticsSummary | ErrorBody]:
    """containment, hand-offs and their reasons, queue wait, first reply, CSAT, dispositions for
    conversations started in a period (a supervisor or an admin key)

    Args:
        since (datetime.datetime | None | Unset): default: 7 days before `until`
        until (datetime.datetime | None | Unset): default: now
        channel (None | SummaryV1AnalyticsSummaryGetChannelType0 | Unset):
        agent (None | str | Unset): who took them
        intent (None | str | Unset): first request
        stage (None | str | Unset): journey stage when they wrote (GET /v1/journey/model)
        format_ (SummaryV1AnalyticsSummaryGetFormat | Unset):  Default:
            SummaryV1AnalyticsSummaryGetFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsSummary | ErrorBody]
    """

    kwargs = _get_kwargs(
        since=since,
        until=until,
        channel=channel,
        agent=agent,
        intent=intent,
        stage=stage,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    channel: None | SummaryV1AnalyticsSummaryGetChannelType0 | Unset = UNSET,
    agent: None | str | Unset = UNSET,
    intent: None | str | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    format_: SummaryV1AnalyticsSummaryGetFormat
    | Unset = SummaryV1AnalyticsSummaryGetFormat.JSON,
) -> AnalyticsSummary | ErrorBody | None:
    """containment, hand-offs and their reasons, queue wait, first reply, CSAT, dispositions for
    conversations started in a period (a supervisor or an admin key)

    Args:
        since (datetime.datetime | None | Unset): default: 7 days before `until`
        until (datetime.datetime | None | Unset): default: now
        channel (None | SummaryV1AnalyticsSummaryGetChannelType0 | Unset):
        agent (None | str | Unset): who took them
        intent (None | str | Unset): first request
        stage (None | str | Unset): journey stage when they wrote (GET /v1/journey/model)
        format_ (SummaryV1AnalyticsSummaryGetFormat | Unset):  Default:
            SummaryV1AnalyticsSummaryGetFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsSummary | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            since=since,
            until=until,
            channel=channel,
            agent=agent,
            intent=intent,
            stage=stage,
            format_=format_,
        )
    ).parsed
