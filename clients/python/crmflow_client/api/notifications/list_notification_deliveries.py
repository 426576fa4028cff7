from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_page_out import DeliveryPageOut
from ...models.error_body import ErrorBody
from ...models.list_notification_deliveries_channel_type_0 import ListNotificationDeliveriesChannelType0
from ...models.list_notification_deliveries_status_type_0 import ListNotificationDeliveriesStatusType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListNotificationDeliveriesStatusType0 | None | Unset = UNSET,
    channel: ListNotificationDeliveriesChannelType0 | None | Unset = UNSET,
    notification_id: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListNotificationDeliveriesStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_channel: None | str | Unset
    if isinstance(channel, Unset):
        json_channel = UNSET
    elif isinstance(channel, ListNotificationDeliveriesChannelType0):
        json_channel = channel.value
    else:
        json_channel = channel
    params["channel"] = json_channel

    json_notification_id: int | None | Unset
    if isinstance(notification_id, Unset):
        json_notification_id = UNSET
    else:
        json_notification_id = notification_id
    params["notification_id"] = json_notification_id

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/notifications/deliveries",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeliveryPageOut | ErrorBody | None:
    if response.status_code == 200:
        response_200 = DeliveryPageOut.from_dict(response.json())

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
) -> Response[DeliveryPageOut | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListNotificationDeliveriesStatusType0 | None | Unset = UNSET,
    channel: ListNotificationDeliveriesChannelType0 | None | Unset = UNSET,
    notification_id: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[DeliveryPageOut | ErrorBody]:
    """Deliveries

     Delivery records, newest first (ops/admin); `status=failed` lists what needs a retry.

    Args:
        status (ListNotificationDeliveriesStatusType0 | None | Unset): e.g. failed
        channel (ListNotificationDeliveriesChannelType0 | None | Unset):
        notification_id (int | None | Unset):
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryPageOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        status=status,
        channel=channel,
        notification_id=notification_id,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: ListNotificationDeliveriesStatusType0 | None | Unset = UNSET,
    channel: ListNotificationDeliveriesChannelType0 | None | Unset = UNSET,
    notification_id: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> DeliveryPageOut | ErrorBody | None:
    """Deliveries

     Delivery records, newest first (ops/admin); `status=failed` lists what needs a retry.

    Args:
        status (ListNotificationDeliveriesStatusType0 | None | Unset): e.g. failed
        channel (ListNotificationDeliveriesChannelType0 | None | Unset):
        notification_id (int | None | Unset):
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryPageOut | ErrorBody
    """

    return sync_detailed(
        client=client,
        status=status,
        channel=channel,
        notification_id=notification_id,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListNotificationDeliveriesStatusType0 | None | Unset = UNSET,
    channel: ListNotificationDeliveriesChannelType0 | None | Unset = UNSET,
    notification_id: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[DeliveryPageOut | ErrorBody]:
    """Deliveries

     Delivery records, newest first (ops/admin); `status=failed` lists what needs a retry.

    Args:
        status (ListNotificationDeliveriesStatusType0 | None | Unset): e.g. failed
        channel (ListNotificationDeliveriesChannelType0 | None | Unset):
        notification_id (int | None | Unset):
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryPageOut | ErrorBody]
    """

    kwargs = _get_kwargs(
        status=status,
        channel=channel,
        notification_id=notification_id,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListNotificationDeliveriesStatusType0 | None | Unset = UNSET,
    channel: ListNotificationDeliveriesChannelType0 | None | Unset = UNSET,
    notification_id: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> DeliveryPageOut | ErrorBody | None:
    """Deliveries

     Delivery records, newest first (ops/admin); `status=failed` lists what needs a retry.

    Args:
        status (ListNotificationDeliveriesStatusType0 | None | Unset): e.g. failed
        channel (ListNotificationDeliveriesChannelType0 | None | Unset):
        notification_id (int | None | Unset):
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryPageOut | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            channel=channel,
            notification_id=notification_id,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
