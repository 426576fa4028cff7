from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.staff_out import StaffOut
from ...models.staff_update import StaffUpdate
from ...types import Response


def _get_kwargs(
    staff_id: int,
    *,
    body: StaffUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/staff/{staff_id}".format(
            staff_id=quote(str(staff_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | StaffOut | None:
    if response.status_code == 200:
        response_200 = StaffOut.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = StaffOut.from_dict(response.json())

        return response_202

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
) -> Response[ErrorBody | StaffOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    staff_id: int,
    *,
    client: AuthenticatedClient,
    body: StaffUpdate,
) -> Response[ErrorBody | StaffOut]:
    """Update Staff Member

     Change a staff member (admin); deactivating hands their open tasks up the supervisor chain.

    Each process holding one of their tasks moves it itself (the staff hand-over process tells them):
    200 when
    that is done within the Temporal deadline, 202 while it runs on, 503 when it could not be started
    (the
    deactivation is kept; send the same request again to start the hand-over).

    Args:
        staff_id (int):
        body (StaffUpdate): PATCH /v1/staff/{id}: only the fields sent change (null clears
            supervisor, delegate, out of office).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | StaffOut]
    """

    kwargs = _get_kwargs(
        staff_id=staff_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    staff_id: int,
    *,
    client: AuthenticatedClient,
    body: StaffUpdate,
) -> ErrorBody | StaffOut | None:
    """Update Staff Member

     Change a staff member (admin); deactivating hands their open tasks up the supervisor chain.

    Each process holding one of their tasks moves it itself (the staff hand-over process tells them):
    200 when
    that is done within the Temporal deadline, 202 while it runs on, 503 when it could not be started
    (the
    deactivation is kept; send the same request again to start the hand-over).

    Args:
        staff_id (int):
        body (StaffUpdate): PATCH /v1/staff/{id}: only the fields sent change (null clears
            supervisor, delegate, out of office).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | StaffOut
    """

    return sync_detailed(
        staff_id=staff_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    staff_id: int,
    *,
    client: AuthenticatedClient,
    body: StaffUpdate,
) -> Response[ErrorBody | StaffOut]:
    """Update Staff Member

     Change a staff member (admin); deactivating hands their open tasks up the supervisor chain.

    Each process holding one of their tasks moves it itself (the staff hand-over process tells them):
    200 when
    that is done within the Temporal deadline, 202 while it runs on, 503 when it could not be started
    (the
    deactivation is kept; send the same request again to start the hand-over).

    Args:
        staff_id (int):
        body (StaffUpdate): PATCH /v1/staff/{id}: only the fields sent change (null clears
            supervisor, delegate, out of office).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | StaffOut]
    """

    kwargs = _get_kwargs(
        staff_id=staff_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    staff_id: int,
    *,
    client: AuthenticatedClient,
    body: StaffUpdate,
) -> ErrorBody | StaffOut | None:
    """Update Staff Member

     Change a staff member (admin); deactivating hands their open tasks up the supervisor chain.

    Each process holding one of their tasks moves it itself (the staff hand-over process tells them):
    200 when
    that is done within the Temporal deadline, 202 while it runs on, 503 when it could not be started
    (the
    deactivation is kept; send the same request again to start the hand-over).

    Args:
        staff_id (int):
        body (StaffUpdate): PATCH /v1/staff/{id}: only the fields sent change (null clears
            supervisor, delegate, out of office).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | StaffOut
    """

    return (
        await asyncio_detailed(
            staff_id=staff_id,
            client=client,
            body=body,
        )
    ).parsed
