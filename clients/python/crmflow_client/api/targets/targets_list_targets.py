from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.target_list import TargetList
from ...models.targets_list_targets_scope_type_0 import TargetsListTargetsScopeType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    scope: None | TargetsListTargetsScopeType0 | Unset = UNSET,
    period: None | str | Unset = UNSET,
    status: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_scope: None | str | Unset
    if isinstance(scope, Unset):
        json_scope = UNSET
    elif isinstance(scope, TargetsListTargetsScopeType0):
        json_scope = scope.value
    else:
        json_scope = scope
    params["scope"] = json_scope

    json_period: None | str | Unset
    if isinstance(period, Unset):
        json_period = UNSET
    else:
        json_period = period
    params["period"] = json_period

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    else:
        json_status = status
    params["status"] = json_status

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/targets",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | TargetList | None:
    if response.status_code == 200:
        response_200 = TargetList.from_dict(response.json())

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
) -> Response[ErrorBody | TargetList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    scope: None | TargetsListTargetsScopeType0 | Unset = UNSET,
    period: None | str | Unset = UNSET,
    status: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[ErrorBody | TargetList]:
    """List Targets

     Targets, newest period first, then by manager.

    Args:
        scope (None | TargetsListTargetsScopeType0 | Unset): mine (default for staff): my own;
            team: everyone in my subtree; all: ops and admin
        period (None | str | Unset):
        status (None | str | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TargetList]
    """

    kwargs = _get_kwargs(
        scope=scope,
        period=period,
        status=status,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    scope: None | TargetsListTargetsScopeType0 | Unset = UNSET,
    period: None | str | Unset = UNSET,
    status: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> ErrorBody | TargetList | None:
    """List Targets

     Targets, newest period first, then by manager.

    Args:
        scope (None | TargetsListTargetsScopeType0 | Unset): mine (default for staff): my own;
            team: everyone in my subtree; all: ops and admin
        period (None | str | Unset):
        status (None | str | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TargetList
    """

    return sync_detailed(
        client=client,
        scope=scope,
        period=period,
        status=status,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    scope: None | TargetsListTargetsScopeType0 | Unset = UNSET,
    period: None | str | Unset = UNSET,
    status: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[ErrorBody | TargetList]:
    """List Targets

     Targets, newest period first, then by manager.

    Args:
        scope (None | TargetsListTargetsScopeType0 | Unset): mine (default for staff): my own;
            team: everyone in my subtree; all: ops and admin
        period (None | str | Unset):
        status (None | str | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TargetList]
    """

    kwargs = _get_kwargs(
        scope=scope,
        period=period,
        status=status,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    scope: None | TargetsListTargetsScopeType0 | Unset = UNSET,
    period: None | str | Unset = UNSET,
    status: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> ErrorBody | TargetList | None:
    """List Targets

     Targets, newest period first, then by manager.

    Args:
        scope (None | TargetsListTargetsScopeType0 | Unset): mine (default for staff): my own;
            team: everyone in my subtree; all: ops and admin
        period (None | str | Unset):
        status (None | str | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TargetList
    """

    return (
        await asyncio_detailed(
            client=client,
            scope=scope,
            period=period,
            status=status,
            limit=limit,
        )
    ).parsed
