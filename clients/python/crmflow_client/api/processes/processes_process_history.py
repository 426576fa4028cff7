from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.process_history import ProcessHistory
from ...models.processes_process_history_format import ProcessesProcessHistoryFormat
from ...models.temporal_history_json import TemporalHistoryJson
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: str,
    *,
    format_: ProcessesProcessHistoryFormat | Unset = ProcessesProcessHistoryFormat.TIMELINE,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/processes/{workflow_id}/history".format(
            workflow_id=quote(str(workflow_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ProcessHistory | TemporalHistoryJson | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> ProcessHistory | TemporalHistoryJson:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = ProcessHistory.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = TemporalHistoryJson.from_dict(data)

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

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ProcessHistory | TemporalHistoryJson]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_id: str,
    *,
    client: AuthenticatedClient,
    format_: ProcessesProcessHistoryFormat | Unset = ProcessesProcessHistoryFormat.TIMELINE,
) -> Response[ErrorBody | ProcessHistory | TemporalHistoryJson]:
    """Process History

     When and what happened in a process: activities, timers, decisions with who took them, escalations.

    Args:
        workflow_id (str):
        format_ (ProcessesProcessHistoryFormat | Unset): timeline (readable) or temporal (the raw
            JSON the SDK's Replayer accepts) Default: ProcessesProcessHistoryFormat.TIMELINE.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ProcessHistory | TemporalHistoryJson]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: str,
    *,
    client: AuthenticatedClient,
    format_: ProcessesProcessHistoryFormat | Unset = ProcessesProcessHistoryFormat.TIMELINE,
) -> ErrorBody | ProcessHistory | TemporalHistoryJson | None:
    """Process History

     When and what happened in a process: activities, timers, decisions with who took them, escalations.

    Args:
        workflow_id (str):
        format_ (ProcessesProcessHistoryFormat | Unset): timeline (readable) or temporal (the raw
            JSON the SDK's Replayer accepts) Default: ProcessesProcessHistoryFormat.TIMELINE.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ProcessHistory | TemporalHistoryJson
    """

    return sync_detailed(
        workflow_id=workflow_id,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    workflow_id: str,
    *,
    client: AuthenticatedClient,
    format_: ProcessesProcessHistoryFormat | Unset = ProcessesProcessHistoryFormat.TIMELINE,
) -> Response[ErrorBody | ProcessHistory | TemporalHistoryJson]:
    """Process History

     When and what happened in a process: activities, timers, decisions with who took them, escalations.

    Args:
        workflow_id (str):
        format_ (ProcessesProcessHistoryFormat | Unset): timeline (readable) or temporal (the raw
            JSON the SDK's Replayer accepts) Default: ProcessesProcessHistoryFormat.TIMELINE.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ProcessHistory | TemporalHistoryJson]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: str,
    *,
    client: AuthenticatedClient,
    format_: ProcessesProcessHistoryFormat | Unset = ProcessesProcessHistoryFormat.TIMELINE,
) -> ErrorBody | ProcessHistory | TemporalHistoryJson | None:
    """Process History

     When and what happened in a process: activities, timers, decisions with who took them, escalations.

    Args:
        workflow_id (str):
        format_ (ProcessesProcessHistoryFormat | Unset): timeline (readable) or temporal (the raw
            JSON the SDK's Replayer accepts) Default: ProcessesProcessHistoryFormat.TIMELINE.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ProcessHistory | TemporalHistoryJson
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            client=client,
            format_=format_,
        )
    ).parsed
