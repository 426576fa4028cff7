from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customer_accepted import CustomerAccepted
from ...models.customer_create import CustomerCreate
from ...models.customer_out import CustomerOut
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CustomerCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/customers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CustomerAccepted | CustomerOut | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CustomerOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = CustomerOut.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = CustomerAccepted.from_dict(response.json())

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
) -> Response[CustomerAccepted | CustomerOut | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CustomerCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CustomerAccepted | CustomerOut | ErrorBody]:
    """Onboard Customer

     Onboard a customer: its process creates the row (update-with-start); a duplicate answers 409 with
    the
    existing id. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on Temporal: 202 (process id,
    Location) when the process is started but has not answered, 503 with Retry-After when it could not
    start.

    Args:
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (CustomerCreate): POST /v1/customers: onboard a customer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerAccepted | CustomerOut | ErrorBody]
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
    body: CustomerCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> CustomerAccepted | CustomerOut | ErrorBody | None:
    """Onboard Customer

     Onboard a customer: its process creates the row (update-with-start); a duplicate answers 409 with
    the
    existing id. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on Temporal: 202 (process id,
    Location) when the process is started but has not answered, 503 with Retry-After when it could not
    start.

    Args:
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (CustomerCreate): POST /v1/customers: onboard a customer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerAccepted | CustomerOut | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CustomerCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CustomerAccepted | CustomerOut | ErrorBody]:
    """Onboard Customer

     Onboard a customer: its process creates the row (update-with-start); a duplicate answers 409 with
    the
    existing id. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on Temporal: 202 (process id,
    Location) when the process is started but has not answered, 503 with Retry-After when it could not
    start.

    Args:
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (CustomerCreate): POST /v1/customers: onboard a customer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerAccepted | CustomerOut | ErrorBody]
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
    body: CustomerCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> CustomerAccepted | CustomerOut | ErrorBody | None:
    """Onboard Customer

     Onboard a customer: its process creates the row (update-with-start); a duplicate answers 409 with
    the
    existing id. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on Temporal: 202 (process id,
    Location) when the process is started but has not answered, 503 with Retry-After when it could not
    start.

    Args:
        idempotency_key (None | str | Unset): Retry-safe: a retry with the same key returns the
            first answer, never a conflict
        body (CustomerCreate): POST /v1/customers: onboard a customer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerAccepted | CustomerOut | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
