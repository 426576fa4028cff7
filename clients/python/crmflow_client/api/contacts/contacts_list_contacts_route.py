from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.contact_list import ContactList
from ...models.contacts_list_contacts_route_status import ContactsListContactsRouteStatus
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ContactsListContactsRouteStatus | Unset = ContactsListContactsRouteStatus.OVERDUE,
    within_days: int | Unset = 7,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["within_days"] = within_days

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
        "url": "/v1/contacts",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ContactList | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ContactList.from_dict(response.json())

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
) -> Response[ContactList | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ContactsListContactsRouteStatus | Unset = ContactsListContactsRouteStatus.OVERDUE,
    within_days: int | Unset = 7,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ContactList | ErrorBody]:
    """List Contacts Route

     Contacts overdue or coming due, within the caller's view (managers: own and subtree; directors:
    subtree; ops, admin: all); `owner_id` narrows to one owner the caller may see.

    Args:
        status (ContactsListContactsRouteStatus | Unset):  Default:
            ContactsListContactsRouteStatus.OVERDUE.
        within_days (int | Unset): upcoming: due within this many days Default: 7.
        owner_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactList | ErrorBody]
    """

    kwargs = _get_kwargs(
        status=status,
        within_days=within_days,
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
    status: ContactsListContactsRouteStatus | Unset = ContactsListContactsRouteStatus.OVERDUE,
    within_days: int | Unset = 7,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ContactList | ErrorBody | None:
    """List Contacts Route

     Contacts overdue or coming due, within the caller's view (managers: own and subtree; directors:
    subtree; ops, admin: all); `owner_id` narrows to one owner the caller may see.

    Args:
        status (ContactsListContactsRouteStatus | Unset):  Default:
            ContactsListContactsRouteStatus.OVERDUE.
        within_days (int | Unset): upcoming: due within this many days Default: 7.
        owner_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactList | ErrorBody
    """

    return sync_detailed(
        client=client,
        status=status,
        within_days=within_days,
        owner_id=owner_id,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ContactsListContactsRouteStatus | Unset = ContactsListContactsRouteStatus.OVERDUE,
    within_days: int | Unset = 7,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ContactList | ErrorBody]:
    """List Contacts Route

     Contacts overdue or coming due, within the caller's view (managers: own and subtree; directors:
    subtree; ops, admin: all); `owner_id` narrows to one owner the caller may see.

    Args:
        status (ContactsListContactsRouteStatus | Unset):  Default:
            ContactsListContactsRouteStatus.OVERDUE.
        within_days (int | Unset): upcoming: due within this many days Default: 7.
        owner_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactList | ErrorBody]
    """

    kwargs = _get_kwargs(
        status=status,
        within_days=within_days,
        owner_id=owner_id,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ContactsListContactsRouteStatus | Unset = ContactsListContactsRouteStatus.OVERDUE,
    within_days: int | Unset = 7,
    owner_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ContactList | ErrorBody | None:
    """List Contacts Route

     Contacts overdue or coming due, within the caller's view (managers: own and subtree; directors:
    subtree; ops, admin: all); `owner_id` narrows to one owner the caller may see.

    Args:
        status (ContactsListContactsRouteStatus | Unset):  Default:
            ContactsListContactsRouteStatus.OVERDUE.
        within_days (int | Unset): upcoming: due within this many days Default: 7.
        owner_id (int | None | Unset):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactList | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            within_days=within_days,
            owner_id=owner_id,
            limit=limit,
            offset=offset,
        )
    ).parsed
