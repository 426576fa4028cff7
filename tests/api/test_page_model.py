"""DESIGN §4 item 7: every list answers one page model, items plus a total or a cursor, never a bare array."""

from __future__ import annotations

from api.openapi import openapi_document


def test_every_list_is_a_page_with_items_and_a_total_or_a_cursor() -> None:
    spec = openapi_document()
    schemas = spec["components"]["schemas"]
    pages = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                assert schema.get("type") != "array", f"{method.upper()} {path} answers a bare array ({status})"
                ref = schema.get("$ref", "").rsplit("/", 1)[-1]
                fields = schemas.get(ref, {}).get("properties", {})
                if fields.get("items", {}).get("type") == "array":
                    pages.append(f"{method.upper()} {path}")
                    assert {"total", "next_cursor", "next_offset"} & set(fields), (
                        f"{method.upper()} {path}: items without a total or a cursor"
                    )
    # The lists this item turned into pages are among them (a guard that the walk above finds pages at all).
    assert {
        "GET /v1/reviews",
        "GET /v1/review-cycles",
        "GET /v1/incentive-awards",
        "GET /v1/customers/{customer_id}/surveys",
        "GET /v1/processes",
        "GET /v1/tasks",
    } <= set(pages)
