from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.report_out import ReportOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["months"] = months

    json_staff_id: int | None | Unset
    if isinstance(staff_id, Unset):
        json_staff_id = UNSET
    else:
        json_staff_id = staff_id
    params["staff_id"] = json_staff_id

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/satisfaction",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | ReportOut | None:
    if response.status_code == 200:
        response_200 = ReportOut.from_dict(response.json())

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
) -> Response[ErrorBody | ReportOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Response[ErrorBody | ReportOut]:
    """Satisfaction Report

     Average satisfaction month by month.

    Args:
        months (int | Unset): how many months back, the current one included Default: 12.
        staff_id (int | None | Unset): only this staff member's subtree (within yours)
        limit (int | Unset): rows per page (the CSV export has every row) Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ReportOut]
    """

    kwargs = _get_kwargs(
        months=months,
        staff_id=staff_id,
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
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> ErrorBody | ReportOut | None:
    """Satisfaction Report

     Average satisfaction month by month.

    Args:
        months (int | Unset): how many months back, the current one included Default: 12.
        staff_id (int | None | Unset): only this staff member's subtree (within yours)
        limit (int | Unset): rows per page (the CSV export has every row) Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ReportOut
    """

    return sync_detailed(
        client=client,
        months=months,
        staff_id=staff_id,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Response[ErrorBody | ReportOut]:
    """Satisfaction Report

     Average satisfaction month by month.

    Args:
        months (int | Unset): how many months back, the current one included Default: 12.
        staff_id (int | None | Unset): only this staff member's subtree (within yours)
        limit (int | Unset): rows per page (the CSV export has every row) Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ReportOut]
    """

    kwargs = _get_kwargs(
        months=months,
        staff_id=staff_id,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> ErrorBody | ReportOut | None:
    """Satisfaction Report

     Average satisfaction month by month.

    Args:
        months (int | Unset): how many months back, the current one included Default: 12.
        staff_id (int | None | Unset): only this staff member's subtree (within yours)
        limit (int | Unset): rows per page (the CSV export has every row) Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ReportOut
    """

    return (
        await asyncio_detailed(
            client=client,
            months=months,
            staff_id=staff_id,
            limit=limit,
            offset=offset,
        )
    ).parsed
