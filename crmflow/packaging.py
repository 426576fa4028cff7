"""Guard against other distributions shadowing crmflow's top-level packages in site-packages."""

from __future__ import annotations

import importlib.util
from importlib.metadata import packages_distributions
from pathlib import Path

# The repository keeps these at its top level (DESIGN §1); they install under the same names, so another
# distribution shipping e.g. its own `api` or `db` would silently replace ours. `crmflow` itself is the anchor.
TOP_LEVEL_NAMES = ("api", "db", "workflows", "activities", "definitions", "web", "worker", "bench")


class PackageCollision(RuntimeError):
    """One of crmflow's top-level names resolves outside crmflow's installation root."""


def installation_root() -> Path:
    """The directory that holds the `crmflow` package (the repository, or site-packages)."""
    return Path(__file__).resolve().parent.parent


def _origin(name: str) -> Path | None:
    """Where `name` would be imported from, without importing it; None when nothing provides it."""
    spec = importlib.util.find_spec(name)
    if spec is None:
        return None
    if spec.origin is not None and spec.origin not in ("namespace", "built-in", "frozen"):
        return Path(spec.origin).resolve()
    locations = list(spec.submodule_search_locations or [])
    return Path(locations[0]).resolve() if locations else None


def _providers(name: str) -> str:
    """The distributions other than crmflow that declare `name`, for the error message."""
    others = sorted({dist for dist in packages_distributions().get(name, []) if dist.lower() != "crmflow"})
    return ", ".join(others) if others else "an unknown distribution"


def check_top_level_packages(names: tuple[str, ...] = TOP_LEVEL_NAMES) -> None:
    """Raise PackageCollision when one of `names` resolves anywhere but beside `crmflow`.

    A name nothing provides (e.g. `bench`, which is not packaged) is fine: it cannot shadow anything.
    """
    root = installation_root()
    for name in names:
        origin = _origin(name)
        if origin is None or origin.is_relative_to(root / name) or origin == root / f"{name}.py":
            continue
        raise PackageCollision(
            f"top-level package {name!r} resolves to {origin}, provided by {_providers(name)}, "
            f"not crmflow's {root}; uninstall it or use a separate virtualenv"
        )
