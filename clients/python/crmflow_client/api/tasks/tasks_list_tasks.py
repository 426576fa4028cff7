from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.task_list import TaskList
from ...models.tasks_list_tasks_kind_type_0 import TasksListTasksKindType0
from ...models.tasks_list_tasks_scope_type_0 import TasksListTasksScopeType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    scope: None | TasksListTasksScopeType0 | Unset = UNSET,
    status: None | str | Unset = UNSET,
    kind: None | TasksListTasksKindType0 | Unset = UNSET,
    process_type: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    assignee_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_scope: None | str | Unset
    if isinstance(scope, Unset):
        json_scope = UNSET
    elif isinstance(scope, TasksListTasksScopeType0):
        json_scope = scope.value
    else:
        json_scope = scope
    params["scope"] = json_scope

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    else:
        json_status = status
    params["status"] = json_status

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, TasksListTasksKindType0):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_process_type: None | str | Unset
    if isinstance(process_type, Unset):
        json_process_type = UNSET
    else:
        json_process_type = process_type
    params["process_type"] = json_process_type

    json_customer_id: int | None | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_assignee_id: int | None | Unset
    if isinstance(assignee_id, Unset):
        json_assignee_id = UNSET
    else:
        json_assignee_id = assignee_id
    params["assignee_id"] = json_assignee_id

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tasks",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | TaskList | None:
    if response.status_code == 200:
        response_200 = TaskList.from_dict(response.json())

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
) -> Response[ErrorBody | TaskList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    scope: None | TasksListTasksScopeType0 | Unset = UNSET,
    status: None | str | Unset = UNSET,
    kind: None | TasksListTasksKindType0 | Unset = UNSET,
    process_type: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    assignee_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ErrorBody | TaskList]:
    """List Tasks

     My inbox (assigned or delegated to me); `scope=team` for my subtree; ops and admin see all.

    Args:
        scope (None | TasksListTasksScopeType0 | Unset): mine (default for staff), team (your
            subtree: directors and managers), all (ops and admin; their default)
        status (None | str | Unset):
        kind (None | TasksListTasksKindType0 | Unset):
        process_type (None | str | Unset):
        customer_id (int | None | Unset):
        assignee_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TaskList]
    """

    kwargs = _get_kwargs(
        scope=scope,
        status=status,
        kind=kind,
        process_type=process_type,
        customer_id=customer_id,
        assignee_id=assignee_id,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    scope: None | TasksListTasksScopeType0 | Unset = UNSET,
    status: None | str | Unset = UNSET,
    kind: None | TasksListTasksKindType0 | Unset = UNSET,
    process_type: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    assignee_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ErrorBody | TaskList | None:
    """List Tasks

     My inbox (assigned or delegated to me); `scope=team` for my subtree; ops and admin see all.

    Args:
        scope (None | TasksListTasksScopeType0 | Unset): mine (default for staff), team (your
            subtree: directors and managers), all (ops and admin; their default)
        status (None | str | Unset):
        kind (None | TasksListTasksKindType0 | Unset):
        process_type (None | str | Unset):
        customer_id (int | None | Unset):
        assignee_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TaskList
    """

    return sync_detailed(
        client=client,
        scope=scope,
        status=status,
        kind=kind,
        process_type=process_type,
        customer_id=customer_id,
        assignee_id=assignee_id,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    scope: None | TasksListTasksScopeType0 | Unset = UNSET,
    status: None | str | Unset = UNSET,
    kind: None | TasksListTasksKindType0 | Unset = UNSET,
    process_type: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    assignee_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ErrorBody | TaskList]:
    """List Tasks

     My inbox (assigned or delegated to me); `scope=team` for my subtree; ops and admin see all.

    Args:
        scope (None | TasksListTasksScopeType0 | Unset): mine (default for staff), team (your
            subtree: directors and managers), all (ops and admin; their default)
        status (None | str | Unset):
        kind (None | TasksListTasksKindType0 | Unset):
        process_type (None | str | Unset):
        customer_id (int | None | Unset):
        assignee_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TaskList]
    """

    kwargs = _get_kwargs(
        scope=scope,
        status=status,
        kind=kind,
        process_type=process_type,
        customer_id=customer_id,
        assignee_id=assignee_id,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    scope: None | TasksListTasksScopeType0 | Unset = UNSET,
    status: None | str | Unset = UNSET,
    kind: None | TasksListTasksKindType0 | Unset = UNSET,
    process_type: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    assignee_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ErrorBody | TaskList | None:
    """List Tasks

     My inbox (assigned or delegated to me); `scope=team` for my subtree; ops and admin see all.

    Args:
        scope (None | TasksListTasksScopeType0 | Unset): mine (default for staff), team (your
            subtree: directors and managers), all (ops and admin; their default)
        status (None | str | Unset):
        kind (None | TasksListTasksKindType0 | Unset):
        process_type (None | str | Unset):
        customer_id (int | None | Unset):
        assignee_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TaskList
    """

    return (
        await asyncio_detailed(
            client=client,
            scope=scope,
            status=status,
            kind=kind,
            process_type=process_type,
            customer_id=customer_id,
            assignee_id=assignee_id,
            limit=limit,
            offset=offset,
        )
    ).parsed
