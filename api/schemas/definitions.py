"""HTTP schemas of the loaded process definitions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class DefinitionSummary(BaseModel):
    """One loaded definition: which process, which version, which content."""

    process: str
    version: int
    content_hash: str


class DefinitionProblemOut(BaseModel):
    """A definition file that does not load (file, line, plain message)."""

    file: str
    line: int | None
    message: str


class DefinitionList(BaseModel):
    """What is loaded from the definitions folder, and what is broken there."""

    directory: str
    items: list[DefinitionSummary]
    total: int
    problems: list[DefinitionProblemOut]


class DefinitionDetail(DefinitionSummary):
    """A definition with its full (snapshot) content."""

    definition: dict[str, Any]
