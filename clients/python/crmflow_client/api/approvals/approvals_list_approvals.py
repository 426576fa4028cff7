from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.approval_list import ApprovalList
from ...models.approvals_list_approvals_scope_type_0 import ApprovalsListApprovalsScopeType0
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    scope: ApprovalsListApprovalsScopeType0 | None | Unset = UNSET,
    status: None | str | Unset = UNSET,
    flow: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_scope: None | str | Unset
    if isinstance(scope, Unset):
        json_scope = UNSET
    elif isinstance(scope, ApprovalsListApprovalsScopeType0):
        json_scope = scope.value
    else:
        json_scope = scope
    params["scope"] = json_scope

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    else:
        json_status = status
    params["status"] = json_status

    json_flow: None | str | Unset
    if isinstance(flow, Unset):
        json_flow = UNSET
    else:
        json_flow = flow
    params["flow"] = json_flow

    json_customer_id: int | None | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/approvals",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApprovalList | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ApprovalList.from_dict(response.json())

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
) -> Response[ApprovalList | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    scope: ApprovalsListApprovalsScopeType0 | None | Unset = UNSET,
    status: None | str | Unset = UNSET,
    flow: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ApprovalList | ErrorBody]:
    """List Approvals

     Approval requests I may see, newest first, with the total.

    Args:
        scope (ApprovalsListApprovalsScopeType0 | None | Unset): mine: I filed; awaiting_me: an
            open task of mine; team: filed in my subtree; all: what I see
        status (None | str | Unset):
        flow (None | str | Unset):
        customer_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalList | ErrorBody]
    """

    kwargs = _get_kwargs(
        scope=scope,
        status=status,
        flow=flow,
        customer_id=customer_id,
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
    scope: ApprovalsListApprovalsScopeType0 | None | Unset = UNSET,
    status: None | str | Unset = UNSET,
    flow: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ApprovalList | ErrorBody | None:
    """List Approvals

     Approval requests I may see, newest first, with the total.

    Args:
        scope (ApprovalsListApprovalsScopeType0 | None | Unset): mine: I filed; awaiting_me: an
            open task of mine; team: filed in my subtree; all: what I see
        status (None | str | Unset):
        flow (None | str | Unset):
        customer_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalList | ErrorBody
    """

    return sync_detailed(
        client=client,
        scope=scope,
        status=status,
        flow=flow,
        customer_id=customer_id,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    scope: ApprovalsListApprovalsScopeType0 | None | Unset = UNSET,
    status: None | str | Unset = UNSET,
    flow: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ApprovalList | ErrorBody]:
    """List Approvals

     Approval requests I may see, newest first, with the total.

    Args:
        scope (ApprovalsListApprovalsScopeType0 | None | Unset): mine: I filed; awaiting_me: an
            open task of mine; team: filed in my subtree; all: what I see
        status (None | str | Unset):
        flow (None | str | Unset):
        customer_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalList | ErrorBody]
    """

    kwargs = _get_kwargs(
        scope=scope,
        status=status,
        flow=flow,
        customer_id=customer_id,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    scope: ApprovalsListApprovalsScopeType0 | None | Unset = UNSET,
    status: None | str | Unset = UNSET,
    flow: None | str | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ApprovalList | ErrorBody | None:
    """List Approvals

     Approval requests I may see, newest first, with the total.

    Args:
        scope (ApprovalsListApprovalsScopeType0 | None | Unset): mine: I filed; awaiting_me: an
            open task of mine; team: filed in my subtree; all: what I see
        status (None | str | Unset):
        flow (None | str | Unset):
        customer_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalList | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            scope=scope,
            status=status,
            flow=flow,
            customer_id=customer_id,
            limit=limit,
            offset=offset,
        )
    ).parsed
