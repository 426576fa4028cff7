from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    section: str,
    *,
    period: None | str | Unset = UNSET,
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_period: None | str | Unset
    if isinstance(period, Unset):
        json_period = UNSET
    else:
        json_period = period
    params["period"] = json_period

    params["months"] = months

    json_staff_id: int | None | Unset
    if isinstance(staff_id, Unset):
        json_staff_id = UNSET
    else:
        json_staff_id = staff_id
    params["staff_id"] = json_staff_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/{section}.csv".format(
            section=quote(str(section), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorBody | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    section: str,
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
) -> Response[Any | ErrorBody]:
    """Report Csv

     Any section as CSV, with the same figures (and the same subtree) as its JSON.

    Args:
        section (str):
        period (None | str | Unset): YYYYQn; default: the current quarter
        months (int | Unset): how many months back, the current one included Default: 12.
        staff_id (int | None | Unset): only this staff member's subtree (within yours)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        section=section,
        period=period,
        months=months,
        staff_id=staff_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    section: str,
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Report Csv

     Any section as CSV, with the same figures (and the same subtree) as its JSON.

    Args:
        section (str):
        period (None | str | Unset): YYYYQn; default: the current quarter
        months (int | Unset): how many months back, the current one included Default: 12.
        staff_id (int | None | Unset): only this staff member's subtree (within yours)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return sync_detailed(
        section=section,
        client=client,
        period=period,
        months=months,
        staff_id=staff_id,
    ).parsed


async def asyncio_detailed(
    section: str,
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
) -> Response[Any | ErrorBody]:
    """Report Csv

     Any section as CSV, with the same figures (and the same subtree) as its JSON.

    Args:
        section (str):
        period (None | str | Unset): YYYYQn; default: the current quarter
        months (int | Unset): how many months back, the current one included Default: 12.
        staff_id (int | None | Unset): only this staff member's subtree (within yours)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        section=section,
        period=period,
        months=months,
        staff_id=staff_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    section: str,
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
    months: int | Unset = 12,
    staff_id: int | None | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Report Csv

     Any section as CSV, with the same figures (and the same subtree) as its JSON.

    Args:
        section (str):
        period (None | str | Unset): YYYYQn; default: the current quarter
        months (int | Unset): how many months back, the current one included Default: 12.
        staff_id (int | None | Unset): only this staff member's subtree (within yours)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return (
        await asyncio_detailed(
            section=section,
            client=client,
            period=period,
            months=months,
            staff_id=staff_id,
        )
    ).parsed
