from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.team_figures_out import TeamFiguresOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    owner_id: int | None | Unset = UNSET,
    months: int | Unset = 12,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_owner_id: int | None | Unset
    if isinstance(owner_id, Unset):
        json_owner_id = UNSET
    else:
        json_owner_id = owner_id
    params["owner_id"] = json_owner_id

    params["months"] = months

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/surveys/figures",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | TeamFiguresOut | None:
    if response.status_code == 200:
        response_200 = TeamFiguresOut.from_dict(response.json())

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
) -> Response[ErrorBody | TeamFiguresOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    owner_id: int | None | Unset = UNSET,
    months: int | Unset = 12,
) -> Response[ErrorBody | TeamFiguresOut]:
    """Get Survey Figures

     Response rate, CSAT and NPS per calendar month for the caller's team (or one owner within it).

    Args:
        owner_id (int | None | Unset):
        months (int | Unset):  Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TeamFiguresOut]
    """

    kwargs = _get_kwargs(
        owner_id=owner_id,
        months=months,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    owner_id: int | None | Unset = UNSET,
    months: int | Unset = 12,
) -> ErrorBody | TeamFiguresOut | None:
    """Get Survey Figures

     Response rate, CSAT and NPS per calendar month for the caller's team (or one owner within it).

    Args:
        owner_id (int | None | Unset):
        months (int | Unset):  Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TeamFiguresOut
    """

    return sync_detailed(
        client=client,
        owner_id=owner_id,
        months=months,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    owner_id: int | None | Unset = UNSET,
    months: int | Unset = 12,
) -> Response[ErrorBody | TeamFiguresOut]:
    """Get Survey Figures

     Response rate, CSAT and NPS per calendar month for the caller's team (or one owner within it).

    Args:
        owner_id (int | None | Unset):
        months (int | Unset):  Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TeamFiguresOut]
    """

    kwargs = _get_kwargs(
        owner_id=owner_id,
        months=months,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    owner_id: int | None | Unset = UNSET,
    months: int | Unset = 12,
) -> ErrorBody | TeamFiguresOut | None:
    """Get Survey Figures

     Response rate, CSAT and NPS per calendar month for the caller's team (or one owner within it).

    Args:
        owner_id (int | None | Unset):
        months (int | Unset):  Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TeamFiguresOut
    """

    return (
        await asyncio_detailed(
            client=client,
            owner_id=owner_id,
            months=months,
        )
    ).parsed
