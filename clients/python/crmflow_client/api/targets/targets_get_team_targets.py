from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.team_targets import TeamTargets
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    period: str,
    root: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["period"] = period

    json_root: int | None | Unset
    if isinstance(root, Unset):
        json_root = UNSET
    else:
        json_root = root
    params["root"] = json_root

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/targets/team",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | TeamTargets | None:
    if response.status_code == 200:
        response_200 = TeamTargets.from_dict(response.json())

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
) -> Response[ErrorBody | TeamTargets]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    period: str,
    root: int | None | Unset = UNSET,
) -> Response[ErrorBody | TeamTargets]:
    """Get Team Targets

     The team's targets beside their actuals (KPI catalogue), per member and rolled up.

    Args:
        period (str):
        root (int | None | Unset): whose subtree (default: mine; ops and admin: everyone)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TeamTargets]
    """

    kwargs = _get_kwargs(
        period=period,
        root=root,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    period: str,
    root: int | None | Unset = UNSET,
) -> ErrorBody | TeamTargets | None:
    """Get Team Targets

     The team's targets beside their actuals (KPI catalogue), per member and rolled up.

    Args:
        period (str):
        root (int | None | Unset): whose subtree (default: mine; ops and admin: everyone)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TeamTargets
    """

    return sync_detailed(
        client=client,
        period=period,
        root=root,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    period: str,
    root: int | None | Unset = UNSET,
) -> Response[ErrorBody | TeamTargets]:
    """Get Team Targets

     The team's targets beside their actuals (KPI catalogue), per member and rolled up.

    Args:
        period (str):
        root (int | None | Unset): whose subtree (default: mine; ops and admin: everyone)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TeamTargets]
    """

    kwargs = _get_kwargs(
        period=period,
        root=root,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    period: str,
    root: int | None | Unset = UNSET,
) -> ErrorBody | TeamTargets | None:
    """Get Team Targets

     The team's targets beside their actuals (KPI catalogue), per member and rolled up.

    Args:
        period (str):
        root (int | None | Unset): whose subtree (default: mine; ops and admin: everyone)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TeamTargets
    """

    return (
        await asyncio_detailed(
            client=client,
            period=period,
            root=root,
        )
    ).parsed
