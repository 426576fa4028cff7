"""Load and validate definitions from CRMFLOW_DEFINITIONS_DIR (or the packaged folder)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel

from definitions.complaint import ComplaintDefinition

DefinitionT = TypeVar("DefinitionT", bound=BaseModel)

MODELS: dict[str, type[BaseModel]] = {
    "complaint": ComplaintDefinition,
}


class DefinitionError(ValueError):
    """A definition file that cannot be loaded; the message names the file and the problem."""


def load_definition(directory: Path, process: str) -> BaseModel:
    """Read `<process>.yaml`, validate it and stamp its content hash."""
    path = Path(directory) / f"{process}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path}: must be a mapping")
    raw["content_hash"] = hashlib.sha256(text.encode()).hexdigest()[:16]
    try:
        return MODELS[process].model_validate(raw)
    except ValueError as exc:
        raise DefinitionError(f"{path}: {exc}") from exc


def load_complaint_definition(directory: Path) -> ComplaintDefinition:
    """The complaint definition."""
    definition = load_definition(directory, "complaint")
    assert isinstance(definition, ComplaintDefinition)
    return definition
