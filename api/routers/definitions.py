"""Loaded process definitions: versions, hashes and content (any authenticated role)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import APIRouter, Request

from api.deps import CurrentActor
from api.errors import ApiError, not_found
from api.schemas.definitions import DefinitionDetail, DefinitionList, DefinitionProblemOut, DefinitionSummary
from definitions.loader import DefinitionError, check_directory, load_definition, models

router = APIRouter(prefix="/v1/definitions", tags=["definitions"])


def _directory(request: Request) -> Path:
    return Path(request.app.state.settings.definitions_dir)


@router.get("", response_model=DefinitionList)
async def list_definitions(request: Request, _: CurrentActor) -> DefinitionList:
    """Every definition that loads from the definitions folder, plus the problems of those that don't."""
    directory = _directory(request)
    loaded, issues = await asyncio.to_thread(check_directory, directory)  # never parse on the event loop
    return DefinitionList(
        directory=str(directory),
        items=[
            DefinitionSummary(process=d.process, version=d.version, content_hash=d.content_hash)
            for _, d in sorted(loaded.items())
        ],
        total=len(loaded),
        problems=[DefinitionProblemOut(file=str(i.path), line=i.line, message=i.message) for i in issues],
    )


@router.get("/{process}", response_model=DefinitionDetail)
async def get_definition(process: str, request: Request, _: CurrentActor) -> DefinitionDetail:
    """One process's definition as a process started now would pin it."""
    if process not in models():
        raise not_found("process definition", process)
    try:
        definition = await asyncio.to_thread(load_definition, _directory(request), process)
    except DefinitionError as exc:
        # The server's configuration is broken, not the request: say what and where.
        raise ApiError(
            503,
            f"definition {process} cannot be loaded",
            code="definition_invalid",
            details=[str(issue) for issue in exc.issues],
        ) from None
    return DefinitionDetail(
        process=definition.process,
        version=definition.version,
        content_hash=definition.content_hash,
        definition=definition.model_dump(mode="json"),
    )
