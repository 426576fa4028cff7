from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complaint_list import ComplaintList
from ...models.complaints_list_all_severity_type_0 import ComplaintsListAllSeverityType0
from ...models.complaints_list_all_status_type_0 import ComplaintsListAllStatusType0
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ComplaintsListAllStatusType0 | None | Unset = UNSET,
    severity: ComplaintsListAllSeverityType0 | None | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ComplaintsListAllStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_severity: None | str | Unset
    if isinstance(severity, Unset):
        json_severity = UNSET
    elif isinstance(severity, ComplaintsListAllSeverityType0):
        json_severity = severity.value
    else:
        json_severity = severity
    params["severity"] = json_severity

    json_customer_id: int | None | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_owner_id: int | None | Unset
    if isinstance(owner_id, Unset):
        json_owner_id = UNSET
    else:
        json_owner_id = owner_id
    params["owner_id"] = json_owner_id

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/complaints",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ComplaintList | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ComplaintList.from_dict(response.json())

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
) -> Response[ComplaintList | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ComplaintsListAllStatusType0 | None | Unset = UNSET,
    severity: ComplaintsListAllSeverityType0 | None | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ComplaintList | ErrorBody]:
    """List All

     Complaints visible to the caller (managers/directors: customers within their subtree).

    Args:
        status (ComplaintsListAllStatusType0 | None | Unset): stage
        severity (ComplaintsListAllSeverityType0 | None | Unset):
        customer_id (int | None | Unset):
        owner_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComplaintList | ErrorBody]
    """

    kwargs = _get_kwargs(
        status=status,
        severity=severity,
        customer_id=customer_id,
        owner_id=owner_id,
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
    status: ComplaintsListAllStatusType0 | None | Unset = UNSET,
    severity: ComplaintsListAllSeverityType0 | None | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ComplaintList | ErrorBody | None:
    """List All

     Complaints visible to the caller (managers/directors: customers within their subtree).

    Args:
        status (ComplaintsListAllStatusType0 | None | Unset): stage
        severity (ComplaintsListAllSeverityType0 | None | Unset):
        customer_id (int | None | Unset):
        owner_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComplaintList | ErrorBody
    """

    return sync_detailed(
        client=client,
        status=status,
        severity=severity,
        customer_id=customer_id,
        owner_id=owner_id,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ComplaintsListAllStatusType0 | None | Unset = UNSET,
    severity: ComplaintsListAllSeverityType0 | None | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ComplaintList | ErrorBody]:
    """List All

     Complaints visible to the caller (managers/directors: customers within their subtree).

    Args:
        status (ComplaintsListAllStatusType0 | None | Unset): stage
        severity (ComplaintsListAllSeverityType0 | None | Unset):
        customer_id (int | None | Unset):
        owner_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComplaintList | ErrorBody]
    """

    kwargs = _get_kwargs(
        status=status,
        severity=severity,
        customer_id=customer_id,
        owner_id=owner_id,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ComplaintsListAllStatusType0 | None | Unset = UNSET,
    severity: ComplaintsListAllSeverityType0 | None | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ComplaintList | ErrorBody | None:
    """List All

     Complaints visible to the caller (managers/directors: customers within their subtree).

    Args:
        status (ComplaintsListAllStatusType0 | None | Unset): stage
        severity (ComplaintsListAllSeverityType0 | None | Unset):
        customer_id (int | None | Unset):
        owner_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComplaintList | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            severity=severity,
            customer_id=customer_id,
            owner_id=owner_id,
            limit=limit,
            offset=offset,
        )
    ).parsed
