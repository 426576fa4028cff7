from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.process_list import ProcessList
from ...models.processes_list_processes_status_type_0 import ProcessesListProcessesStatusType0
from ...models.processes_list_processes_type_type_0 import ProcessesListProcessesTypeType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    type_: None | ProcessesListProcessesTypeType0 | Unset = UNSET,
    status: None | ProcessesListProcessesStatusType0 | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    manager_id: int | None | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, ProcessesListProcessesTypeType0):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ProcessesListProcessesStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_customer_id: int | None | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_manager_id: int | None | Unset
    if isinstance(manager_id, Unset):
        json_manager_id = UNSET
    else:
        json_manager_id = manager_id
    params["manager_id"] = json_manager_id

    json_stage: None | str | Unset
    if isinstance(stage, Unset):
        json_stage = UNSET
    else:
        json_stage = stage
    params["stage"] = json_stage

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/processes",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ProcessList | None:
    if response.status_code == 200:
        response_200 = ProcessList.from_dict(response.json())

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
) -> Response[ErrorBody | ProcessList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    type_: None | ProcessesListProcessesTypeType0 | Unset = UNSET,
    status: None | ProcessesListProcessesStatusType0 | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    manager_id: int | None | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorBody | ProcessList]:
    """List Processes

     Search processes (ops/admin: all; managers/directors: those of their subtree's managers; not
    service).

    Args:
        type_ (None | ProcessesListProcessesTypeType0 | Unset): crmflow process type
        status (None | ProcessesListProcessesStatusType0 | Unset): Temporal execution status
        customer_id (int | None | Unset):
        manager_id (int | None | Unset):
        stage (None | str | Unset): e.g. open, in_progress
        limit (int | Unset): page size Default: 50.
        cursor (None | str | Unset): next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ProcessList]
    """

    kwargs = _get_kwargs(
        type_=type_,
        status=status,
        customer_id=customer_id,
        manager_id=manager_id,
        stage=stage,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    type_: None | ProcessesListProcessesTypeType0 | Unset = UNSET,
    status: None | ProcessesListProcessesStatusType0 | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    manager_id: int | None | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ErrorBody | ProcessList | None:
    """List Processes

     Search processes (ops/admin: all; managers/directors: those of their subtree's managers; not
    service).

    Args:
        type_ (None | ProcessesListProcessesTypeType0 | Unset): crmflow process type
        status (None | ProcessesListProcessesStatusType0 | Unset): Temporal execution status
        customer_id (int | None | Unset):
        manager_id (int | None | Unset):
        stage (None | str | Unset): e.g. open, in_progress
        limit (int | Unset): page size Default: 50.
        cursor (None | str | Unset): next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ProcessList
    """

    return sync_detailed(
        client=client,
        type_=type_,
        status=status,
        customer_id=customer_id,
        manager_id=manager_id,
        stage=stage,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    type_: None | ProcessesListProcessesTypeType0 | Unset = UNSET,
    status: None | ProcessesListProcessesStatusType0 | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    manager_id: int | None | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorBody | ProcessList]:
    """List Processes

     Search processes (ops/admin: all; managers/directors: those of their subtree's managers; not
    service).

    Args:
        type_ (None | ProcessesListProcessesTypeType0 | Unset): crmflow process type
        status (None | ProcessesListProcessesStatusType0 | Unset): Temporal execution status
        customer_id (int | None | Unset):
        manager_id (int | None | Unset):
        stage (None | str | Unset): e.g. open, in_progress
        limit (int | Unset): page size Default: 50.
        cursor (None | str | Unset): next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ProcessList]
    """

    kwargs = _get_kwargs(
        type_=type_,
        status=status,
        customer_id=customer_id,
        manager_id=manager_id,
        stage=stage,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    type_: None | ProcessesListProcessesTypeType0 | Unset = UNSET,
    status: None | ProcessesListProcessesStatusType0 | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    manager_id: int | None | Unset = UNSET,
    stage: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ErrorBody | ProcessList | None:
    """List Processes

     Search processes (ops/admin: all; managers/directors: those of their subtree's managers; not
    service).

    Args:
        type_ (None | ProcessesListProcessesTypeType0 | Unset): crmflow process type
        status (None | ProcessesListProcessesStatusType0 | Unset): Temporal execution status
        customer_id (int | None | Unset):
        manager_id (int | None | Unset):
        stage (None | str | Unset): e.g. open, in_progress
        limit (int | Unset): page size Default: 50.
        cursor (None | str | Unset): next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ProcessList
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            status=status,
            customer_id=customer_id,
            manager_id=manager_id,
            stage=stage,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
