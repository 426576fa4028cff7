"""`python -m api.openapi`: the API's OpenAPI document as stable JSON (what `make client` generates from)."""

from __future__ import annotations

import json
from typing import Any


def openapi_document() -> dict[str, Any]:
    """The OpenAPI of the app every deployment serves (settings do not change its routes or shapes)."""
    from api.app import create_app

    return create_app().openapi()


def openapi_json() -> str:
    """The document as committed in clients/openapi.json: sorted keys, so a diff shows only real changes."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(openapi_json(), end="")
