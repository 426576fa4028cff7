from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.staff_list import StaffList
from ...models.staff_role import StaffRole
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    role: None | StaffRole | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    supervisor_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_role: None | str | Unset
    if isinstance(role, Unset):
        json_role = UNSET
    elif isinstance(role, StaffRole):
        json_role = role.value
    else:
        json_role = role
    params["role"] = json_role

    json_active: bool | None | Unset
    if isinstance(active, Unset):
        json_active = UNSET
    else:
        json_active = active
    params["active"] = json_active

    json_region: None | str | Unset
    if isinstance(region, Unset):
        json_region = UNSET
    else:
        json_region = region
    params["region"] = json_region

    json_supervisor_id: int | None | Unset
    if isinstance(supervisor_id, Unset):
        json_supervisor_id = UNSET
    else:
        json_supervisor_id = supervisor_id
    params["supervisor_id"] = json_supervisor_id

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/staff",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | StaffList | None:
    if response.status_code == 200:
        response_200 = StaffList.from_dict(response.json())

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
) -> Response[ErrorBody | StaffList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    role: None | StaffRole | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    supervisor_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ErrorBody | StaffList]:
    """List Staff Members

     Staff the caller may see (directors and managers: their subtree), filtered and paged.

    Args:
        role (None | StaffRole | Unset):
        active (bool | None | Unset):
        region (None | str | Unset):
        supervisor_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | StaffList]
    """

    kwargs = _get_kwargs(
        role=role,
        active=active,
        region=region,
        supervisor_id=supervisor_id,
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
    role: None | StaffRole | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    supervisor_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ErrorBody | StaffList | None:
    """List Staff Members

     Staff the caller may see (directors and managers: their subtree), filtered and paged.

    Args:
        role (None | StaffRole | Unset):
        active (bool | None | Unset):
        region (None | str | Unset):
        supervisor_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | StaffList
    """

    return sync_detailed(
        client=client,
        role=role,
        active=active,
        region=region,
        supervisor_id=supervisor_id,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    role: None | StaffRole | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    supervisor_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ErrorBody | StaffList]:
    """List Staff Members

     Staff the caller may see (directors and managers: their subtree), filtered and paged.

    Args:
        role (None | StaffRole | Unset):
        active (bool | None | Unset):
        region (None | str | Unset):
        supervisor_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | StaffList]
    """

    kwargs = _get_kwargs(
        role=role,
        active=active,
        region=region,
        supervisor_id=supervisor_id,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    role: None | StaffRole | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    supervisor_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ErrorBody | StaffList | None:
    """List Staff Members

     Staff the caller may see (directors and managers: their subtree), filtered and paged.

    Args:
        role (None | StaffRole | Unset):
        active (bool | None | Unset):
        region (None | str | Unset):
        supervisor_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | StaffList
    """

    return (
        await asyncio_detailed(
            client=client,
            role=role,
            active=active,
            region=region,
            supervisor_id=supervisor_id,
            limit=limit,
            offset=offset,
        )
    ).parsed
