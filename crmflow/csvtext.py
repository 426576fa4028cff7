"""Reading an import CSV as text: bad UTF-8 is reported by line, never as a traceback."""

from __future__ import annotations

import codecs
from pathlib import Path

from pydantic import BaseModel, ValidationError


def read_csv_text(path: Path) -> tuple[str | None, list[str]]:
    """The file's text (BOM dropped), or None and one `FILE:LINE: message` per line that is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [f"{path}: cannot read ({exc.strerror})"]
    if data.startswith(codecs.BOM_UTF8):  # spreadsheets add one
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    errors = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(
                f"{path}:{number}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                "save the file as UTF-8"
            )
    return None, errors


def schema_problems(model: type[BaseModel], values: dict[str, object]) -> list[str]:
    """Check a row with the API's own request schema; one message per problem."""
    try:
        model.model_validate(values)
    except ValidationError as exc:
        return [f"{'.'.join(str(p) for p in err['loc']) or 'row'}: {err['msg']}" for err in exc.errors()]
    return []
