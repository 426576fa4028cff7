from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complaint_out import ComplaintOut
from ...models.error_body import ErrorBody
from ...models.reassign_body import ReassignBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    complaint_id: str,
    *,
    body: ReassignBody,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/complaints/{complaint_id}/reassign".format(
            complaint_id=quote(str(complaint_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ComplaintOut | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ComplaintOut.from_dict(response.json())

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
) -> Response[ComplaintOut | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    complaint_id: str,
    *,
    client: AuthenticatedClient,
    body: ReassignBody,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ComplaintOut | ErrorBody]:
    """Reassign

     Hand the complaint to another active staff member within the caller's view.

    Args:
        complaint_id (str):
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (ReassignBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComplaintOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        complaint_id=complaint_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    complaint_id: str,
    *,
    client: AuthenticatedClient,
    body: ReassignBody,
    idempotency_key: None | str | Unset = UNSET,
) -> ComplaintOut | ErrorBody | None:
    """Reassign

     Hand the complaint to another active staff member within the caller's view.

    Args:
        complaint_id (str):
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (ReassignBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComplaintOut | ErrorBody
    """

    return sync_detailed(
        complaint_id=complaint_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    complaint_id: str,
    *,
    client: AuthenticatedClient,
    body: ReassignBody,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ComplaintOut | ErrorBody]:
    """Reassign

     Hand the complaint to another active staff member within the caller's view.

    Args:
        complaint_id (str):
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (ReassignBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComplaintOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        complaint_id=complaint_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    complaint_id: str,
    *,
    client: AuthenticatedClient,
    body: ReassignBody,
    idempotency_key: None | str | Unset = UNSET,
) -> ComplaintOut | ErrorBody | None:
    """Reassign

     Hand the complaint to another active staff member within the caller's view.

    Args:
        complaint_id (str):
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (ReassignBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComplaintOut | ErrorBody
    """

    return (
        await asyncio_detailed(
            complaint_id=complaint_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
