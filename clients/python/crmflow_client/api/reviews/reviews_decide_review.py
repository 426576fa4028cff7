from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.review_decision_body import ReviewDecisionBody
from ...models.review_out import ReviewOut
from ...types import Response


def _get_kwargs(
    review_id: int,
    *,
    body: ReviewDecisionBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/reviews/{review_id}/decision".format(
            review_id=quote(str(review_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | ReviewOut | None:
    if response.status_code == 200:
        response_200 = ReviewOut.from_dict(response.json())

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
) -> Response[ErrorBody | ReviewOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    review_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewDecisionBody,
) -> Response[ErrorBody | ReviewOut]:
    """Decide Review

     The supervisor (their delegate, or an admin) approves with a rating and a comment, or rejects for
    rework.

    Args:
        review_id (int):
        body (ReviewDecisionBody): The supervisor's decision on a review: approve with a rating
            (1–5) and a comment, or reject for rework.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ReviewOut]
    """

    kwargs = _get_kwargs(
        review_id=review_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    review_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewDecisionBody,
) -> ErrorBody | ReviewOut | None:
    """Decide Review

     The supervisor (their delegate, or an admin) approves with a rating and a comment, or rejects for
    rework.

    Args:
        review_id (int):
        body (ReviewDecisionBody): The supervisor's decision on a review: approve with a rating
            (1–5) and a comment, or reject for rework.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ReviewOut
    """

    return sync_detailed(
        review_id=review_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    review_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewDecisionBody,
) -> Response[ErrorBody | ReviewOut]:
    """Decide Review

     The supervisor (their delegate, or an admin) approves with a rating and a comment, or rejects for
    rework.

    Args:
        review_id (int):
        body (ReviewDecisionBody): The supervisor's decision on a review: approve with a rating
            (1–5) and a comment, or reject for rework.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ReviewOut]
    """

    kwargs = _get_kwargs(
        review_id=review_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    review_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewDecisionBody,
) -> ErrorBody | ReviewOut | None:
    """Decide Review

     The supervisor (their delegate, or an admin) approves with a rating and a comment, or rejects for
    rework.

    Args:
        review_id (int):
        body (ReviewDecisionBody): The supervisor's decision on a review: approve with a rating
            (1–5) and a comment, or reject for rework.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ReviewOut
    """

    return (
        await asyncio_detailed(
            review_id=review_id,
            client=client,
            body=body,
        )
    ).parsed
