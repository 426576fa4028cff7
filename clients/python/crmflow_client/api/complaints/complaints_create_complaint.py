from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complaint_accepted import ComplaintAccepted
from ...models.complaint_create import ComplaintCreate
from ...models.complaint_out import ComplaintOut
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ComplaintCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/complaints",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ComplaintAccepted | ComplaintOut | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ComplaintOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ComplaintOut.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = ComplaintAccepted.from_dict(response.json())

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
) -> Response[ComplaintAccepted | ComplaintOut | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ComplaintCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ComplaintAccepted | ComplaintOut | ErrorBody]:
    """Create Complaint

     Open a complaint and its process (answer: the complaint with its deadlines).

    Idempotency-Key: the complaint id is derived from (principal, key), so a retry names the same
    complaint
    and process. 201 when this request created it; 200 (header Idempotent-Replayed: true) when the
    complaint
    already existed — running or closed — and no second process is started; 409 when the key was used
    for a complaint with a different body. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on
    Temporal: 202 (id, process id, Location) when the process is started but has not answered, 503 with
    Retry-After when it could not be started.

    Args:
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (ComplaintCreate): POST /v1/complaints.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComplaintAccepted | ComplaintOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ComplaintCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> ComplaintAccepted | ComplaintOut | ErrorBody | None:
    """Create Complaint

     Open a complaint and its process (answer: the complaint with its deadlines).

    Idempotency-Key: the complaint id is derived from (principal, key), so a retry names the same
    complaint
    and process. 201 when this request created it; 200 (header Idempotent-Replayed: true) when the
    complaint
    already existed — running or closed — and no second process is started; 409 when the key was used
    for a complaint with a different body. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on
    Temporal: 202 (id, process id, Location) when the process is started but has not answered, 503 with
    Retry-After when it could not be started.

    Args:
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (ComplaintCreate): POST /v1/complaints.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComplaintAccepted | ComplaintOut | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ComplaintCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ComplaintAccepted | ComplaintOut | ErrorBody]:
    """Create Complaint

     Open a complaint and its process (answer: the complaint with its deadlines).

    Idempotency-Key: the complaint id is derived from (principal, key), so a retry names the same
    complaint
    and process. 201 when this request created it; 200 (header Idempotent-Replayed: true) when the
    complaint
    already existed — running or closed — and no second process is started; 409 when the key was used
    for a complaint with a different body. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on
    Temporal: 202 (id, process id, Location) when the process is started but has not answered, 503 with
    Retry-After when it could not be started.

    Args:
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (ComplaintCreate): POST /v1/complaints.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComplaintAccepted | ComplaintOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ComplaintCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> ComplaintAccepted | ComplaintOut | ErrorBody | None:
    """Create Complaint

     Open a complaint and its process (answer: the complaint with its deadlines).

    Idempotency-Key: the complaint id is derived from (principal, key), so a retry names the same
    complaint
    and process. 201 when this request created it; 200 (header Idempotent-Replayed: true) when the
    complaint
    already existed — running or closed — and no second process is started; 409 when the key was used
    for a complaint with a different body. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on
    Temporal: 202 (id, process id, Location) when the process is started but has not answered, 503 with
    Retry-After when it could not be started.

    Args:
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (ComplaintCreate): POST /v1/complaints.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComplaintAccepted | ComplaintOut | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
