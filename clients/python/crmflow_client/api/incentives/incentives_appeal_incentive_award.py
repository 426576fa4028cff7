from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.appeal_body import AppealBody
from ...models.award_detail import AwardDetail
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs(
    award_id: int,
    *,
    body: AppealBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/incentive-awards/{award_id}/appeal".format(
            award_id=quote(str(award_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AwardDetail | ErrorBody | None:
    if response.status_code == 201:
        response_201 = AwardDetail.from_dict(response.json())

        return response_201

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
) -> Response[AwardDetail | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    award_id: int,
    *,
    client: AuthenticatedClient,
    body: AppealBody,
) -> Response[AwardDetail | ErrorBody]:
    """Appeal Incentive Award

     The award's manager contests it: an approval for the director above them, with a due date and
    escalation.

    Args:
        award_id (int):
        body (AppealBody): Why the manager contests the award, and optionally the points they
            think are due.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AwardDetail | ErrorBody]
    """

    kwargs = _get_kwargs(
        award_id=award_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    award_id: int,
    *,
    client: AuthenticatedClient,
    body: AppealBody,
) -> AwardDetail | ErrorBody | None:
    """Appeal Incentive Award

     The award's manager contests it: an approval for the director above them, with a due date and
    escalation.

    Args:
        award_id (int):
        body (AppealBody): Why the manager contests the award, and optionally the points they
            think are due.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AwardDetail | ErrorBody
    """

    return sync_detailed(
        award_id=award_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    award_id: int,
    *,
    client: AuthenticatedClient,
    body: AppealBody,
) -> Response[AwardDetail | ErrorBody]:
    """Appeal Incentive Award

     The award's manager contests it: an approval for the director above them, with a due date and
    escalation.

    Args:
        award_id (int):
        body (AppealBody): Why the manager contests the award, and optionally the points they
            think are due.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AwardDetail | ErrorBody]
    """

    kwargs = _get_kwargs(
        award_id=award_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    award_id: int,
    *,
    client: AuthenticatedClient,
    body: AppealBody,
) -> AwardDetail | ErrorBody | None:
    """Appeal Incentive Award

     The award's manager contests it: an approval for the director above them, with a due date and
    escalation.

    Args:
        award_id (int):
        body (AppealBody): Why the manager contests the award, and optionally the points they
            think are due.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AwardDetail | ErrorBody
    """

    return (
        await asyncio_detailed(
            award_id=award_id,
            client=client,
            body=body,
        )
    ).parsed
