"""Load and validate definitions from CRMFLOW_DEFINITIONS_DIR (or the packaged folder).

Every `<process>.yaml` in a folder is validated by the model registered for that process in
registered models, stamped with a content hash, and every problem is reported as `file:line: message`
(pydantic error locations are mapped back to YAML line numbers through the composed node tree).
"""

from __future__ import annotations

import difflib
import hashlib
import types
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from definitions.approval import ApprovalDefinition, FlowDefinition, resolve_rule
from definitions.base import DefinitionMeta, DefinitionProblem
from definitions.complaint import ComplaintDefinition

DefinitionT = TypeVar("DefinitionT", bound=BaseModel)


def models() -> dict[str, type[DefinitionMeta]]:
    """Process name → definition model, from the process registry (each process's `<name>.yaml` beside this file)."""
    from crmflow.registry import definition_models  # lazily: the registry imports the workflows, which import us

    return definition_models()


@dataclass(frozen=True)
class DefinitionIssue:
    """One problem in one definition file, at a line when it is known."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class DefinitionError(ValueError):
    """Definitions that cannot be loaded; `issues` lists every problem with file and line."""

    def __init__(self, issues: list[DefinitionIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


def content_hash(text: str) -> str:
    """The short SHA-256 of a definition file's text (what a running process pinned)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_file(path: Path) -> DefinitionMeta:
    """Read one `<process>.yaml`, validate it with its registered model and stamp its hash."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise DefinitionError([DefinitionIssue(path, None, f"larger than {MAX_FILE_BYTES} bytes; refused")])
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError([DefinitionIssue(path, None, f"cannot read ({exc.strerror})")]) from exc
    return pin_flows(parse_definition(text, path), path.parent)


def pin_flows(definition: DefinitionT, directory: Path) -> DefinitionT:
    """Put a snapshot of every flow the definition names (its `*_flow` fields) in its `flows`.

    Read on every load, not cached with the definition: an operator may change a flow file alone.
    """
    names = [getattr(definition, name) for name in type(definition).model_fields if name.endswith("_flow")]
    names = [name for name in names if isinstance(name, str)]
    if not names:
        return definition
    return definition.model_copy(update={"flows": {name: load_flow(directory, name) for name in names}})


# Parsed definitions by (file, content hash, year): the API and starters load a definition per request,
# and parsing plus resolving a country's holidays costs milliseconds. Models are frozen, so sharing is safe;
# the year is in the key because the default holiday span follows the calendar year.
_PARSED: dict[tuple[str, str, int], DefinitionMeta] = {}
_PARSED_MAX = 64


def parse_definition(text: str, path: Path) -> DefinitionMeta:
    """Validate a definition's text (named by `path`, whose stem is the process); cached by content."""
    key = (str(path), content_hash(text), date.today().year)
    cached = _PARSED.get(key)
    if cached is not None and models().get(path.stem) is type(cached):
        return cached
    definition = _parse(text, path)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[key] = definition
    return definition


def _parse(text: str, path: Path) -> DefinitionMeta:
    node, data = _compose(text, path)
    issues = _duplicate_keys(node, path)
    process = path.stem
    registered = models()
    model = registered.get(process)
    if model is None:
        known = ", ".join(sorted(registered))
        raise DefinitionError(
            [
                DefinitionIssue(
                    path,
                    1,
                    f"no process named {process!r} is registered (file names must be <process>.yaml; known: {known})",
                )
            ]
        )
    if not isinstance(data, dict):
        raise DefinitionError([DefinitionIssue(path, _line(node), "a definition must be a mapping of keys")])
    if "content_hash" in data:
        issues.append(DefinitionIssue(path, _locate(node, ("content_hash",)), "content_hash is set by the loader"))
    if "flows" in data and "flows" in model.model_fields:
        issues.append(
            DefinitionIssue(
                path, _locate(node, ("flows",)), "flows is set by the loader from the *_flow names (flows/<name>.yaml)"
            )
        )
    data = {**data, "content_hash": content_hash(text)}
    if "process" not in data:
        data["process"] = process  # the file name says which process; the model checks the rest
    try:
        definition = model.model_validate(data)
    except ValidationError as exc:
        issues.extend(_issues_from(exc, node, path, model))
        issues.sort(key=lambda issue: issue.line or 0)
        raise DefinitionError(issues) from None
    if issues:
        raise DefinitionError(issues)
    return definition


def load_definition(directory: Path, process: str) -> DefinitionMeta:
    """The validated definition of one process from `directory`."""
    if process not in models():
        raise DefinitionError([DefinitionIssue(Path(directory), None, f"no process named {process!r} is registered")])
    return load_file(Path(directory) / f"{process}.yaml")


def load_as(directory: Path, model: type[DefinitionT]) -> DefinitionT:
    """The definition whose registered model is `model` (typed for callers)."""
    process = next(name for name, registered in models().items() if registered is model)
    definition = load_definition(directory, process)
    assert isinstance(definition, model)
    return definition


def load_complaint_definition(directory: Path) -> ComplaintDefinition:
    """The complaint definition."""
    return load_as(directory, ComplaintDefinition)


def check_directory(
    directory: Path, *, require_all: bool = True
) -> tuple[dict[str, DefinitionMeta], list[DefinitionIssue]]:
    """Load every *.yaml in `directory`: what loaded, and every problem (missing registered ones too)."""
    directory = Path(directory)
    if not directory.is_dir():
        return {}, [DefinitionIssue(directory, None, "not a directory")]
    loaded: dict[str, DefinitionMeta] = {}
    issues: list[DefinitionIssue] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            loaded[path.stem] = load_file(path)
        except DefinitionError as exc:
            issues.extend(exc.issues)
    if require_all:
        for process in sorted(set(models()) - {path.stem for path in directory.glob("*.yaml")}):
            issues.append(
                DefinitionIssue(
                    directory / f"{process}.yaml",
                    None,
                    f"missing: no definition for the registered process {process!r}",
                )
            )
    return loaded, issues


def load_all(directory: Path, *, require_all: bool = True) -> dict[str, DefinitionMeta]:
    """Every definition in `directory` by process; DefinitionError lists all problems at once."""
    loaded, issues = check_directory(directory, require_all=require_all)
    if issues:
        raise DefinitionError(issues)
    return loaded


# --- YAML nodes and line numbers -------------------------------------------------------------


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _compose(text: str, path: Path) -> tuple[Node, Any]:
    """The node tree (for line numbers) and the plain data, from one parse."""
    loader = (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)(text)
    try:
        if len(text) > MAX_FILE_BYTES:
            raise DefinitionError([DefinitionIssue(path, None, f"larger than {MAX_FILE_BYTES} bytes; refused")])
        node = loader.get_single_node()
        if node is None:
            raise DefinitionError([DefinitionIssue(path, 1, "the file is empty")])
        _check_expansion(node, path)
        return node, loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(part for part in (exc.context, exc.problem) if part) or "syntax error"
        raise DefinitionError(
            [DefinitionIssue(path, mark.line + 1 if mark else None, f"not valid YAML: {problem}")]
        ) from None
    except yaml.YAMLError as exc:
        raise DefinitionError([DefinitionIssue(path, None, f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()


# Bounds of one definition file. Aliases share nodes, so a few lines can stand for billions of values
# (a "billion laughs" bomb); every later walk (validation, line lookup) would pay for each of them.
MAX_FILE_BYTES = 512 * 1024
MAX_EXPANDED_NODES = 100_000


def _check_expansion(root: Node, path: Path) -> None:
    """Refuse a node tree whose aliases expand beyond MAX_EXPANDED_NODES (counted once per shared node)."""
    sizes: dict[int, int] = {}
    pending: list[tuple[Node, bool]] = [(root, False)]
    while pending:  # iterative post-order: deep nesting cannot exhaust the stack
        node, children_done = pending.pop()
        if id(node) in sizes:
            continue
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        if children_done:
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 0) for child in children)
            if sizes[id(node)] > MAX_EXPANDED_NODES:
                raise DefinitionError(
                    [DefinitionIssue(path, _line(node), f"aliases expand beyond {MAX_EXPANDED_NODES} values; refused")]
                )
            continue
        pending.append((node, True))
        pending.extend((child, False) for child in children if id(child) not in sizes)


def _duplicate_keys(node: Node, path: Path) -> list[DefinitionIssue]:
    """YAML silently keeps the last of two equal keys; a definition must not."""
    issues: list[DefinitionIssue] = []
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                if key.value in seen:
                    issues.append(
                        DefinitionIssue(
                            path, _line(key), f"duplicate key {key.value!r} (first at line {seen[key.value]})"
                        )
                    )
                seen.setdefault(key.value, _line(key))
            issues.extend(_duplicate_keys(value, path))
    elif isinstance(node, SequenceNode):
        for item in node.value:
            issues.extend(_duplicate_keys(item, path))
    return issues


def _locate(root: Node, loc: tuple[Any, ...]) -> int:
    """The line of the deepest node `loc` reaches (a key's own line for mapping entries)."""
    node, line = root, _line(root)
    for part in loc:
        if isinstance(node, MappingNode):
            match = next(((k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == str(part)), None)
            if match is None:
                continue  # a pydantic union/type tag or a missing key: stay on the parent
            node, line = match[1], _line(match[0])
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = _line(node)
    return line


# --- pydantic errors → plain messages --------------------------------------------------------


def _issues_from(exc: ValidationError, root: Node, path: Path, model: type[BaseModel]) -> list[DefinitionIssue]:
    issues = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, DefinitionProblem):
            loc = loc + cause.path
        issues.append(DefinitionIssue(path, _locate(root, loc), _message(error, loc, model)))
    return issues


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if not _is_type_tag(part))


def _is_type_tag(part: Any) -> bool:
    # pydantic adds the union member it tried (e.g. "int", "function-after[...]") to error locations
    return isinstance(part, str) and ("[" in part or part in {"int", "str", "float", "bool", "list", "dict"})


def _message(error: ErrorDetails, loc: tuple[Any, ...], model: type[BaseModel]) -> str:
    kind, where = error["type"], _dotted(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1])
        hint = difflib.get_close_matches(key, allowed, n=1)
        suggestion = (
            f" (did you mean {hint[0]!r}?)" if hint else (f" (allowed: {', '.join(allowed)})" if allowed else "")
        )
        return f"unknown key {where!r}{suggestion}"
    if kind == "missing":
        return f"missing required key {where!r}"
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = message.replace("Input should be", "should be")
    value = error.get("input")
    if (
        kind not in ("value_error", "assertion_error")
        and isinstance(value, str | int | float)
        and repr(value) not in message
    ):
        message = f"{message} (got {value!r})"
    return f"{where}: {message}" if where else message


def _allowed_keys(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """Best effort: the field names accepted where an unknown key appeared."""
    current: Any = model
    for part in loc:
        if _is_type_tag(part):
            continue
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                continue
            current = field.annotation
        else:
            args = typing.get_args(current)
            if not args:
                return []
            current = args[-1]  # dict value type or list item type
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [name for name in current.model_fields if name != "content_hash"]
    return []


def _unwrap(annotation: Any) -> Any:
    """`X | None` and Annotated[X, ...] → X."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _unwrap(members[0]) if len(members) == 1 else annotation
    return annotation


# --- approval flows (definitions/flows/<flow>.yaml; DESIGN §3.10) -------------------------------

FLOWS_DIR = "flows"
_FLOWS: dict[tuple[str, str], FlowDefinition] = {}


def parse_model(text: str, path: Path, model: type[DefinitionT], defaults: dict[str, Any]) -> DefinitionT:
    """Validate YAML `text` with any strict model: duplicate keys, content hash, `file:line: message` issues."""
    node, data = _compose(text, path)
    issues = _duplicate_keys(node, path)
    if not isinstance(data, dict):
        raise DefinitionError([DefinitionIssue(path, _line(node), "a definition must be a mapping of keys")])
    if "content_hash" in data:
        issues.append(DefinitionIssue(path, _locate(node, ("content_hash",)), "content_hash is set by the loader"))
    try:
        parsed = model.model_validate({**defaults, **data, "content_hash": content_hash(text)})
    except ValidationError as exc:
        issues.extend(_issues_from(exc, node, path, model))
        issues.sort(key=lambda issue: issue.line or 0)
        raise DefinitionError(issues) from None
    if issues:
        raise DefinitionError(issues)
    return parsed


def load_flow_file(path: Path) -> FlowDefinition:
    """Read one flow file; its name must be `<flow>.yaml` (cached by content)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError([DefinitionIssue(path, None, f"cannot read ({exc.strerror})")]) from exc
    key = (str(path), content_hash(text))
    cached = _FLOWS.get(key)
    if cached is not None:
        return cached
    flow = parse_model(text, path, FlowDefinition, {"flow": path.stem})
    if flow.flow != path.stem:
        node, _ = _compose(text, path)
        raise DefinitionError(
            [DefinitionIssue(path, _locate(node, ("flow",)), f"flow {flow.flow!r} must live in {flow.flow}.yaml")]
        )
    if len(_FLOWS) >= _PARSED_MAX:
        _FLOWS.clear()
    _FLOWS[key] = flow
    return flow


def load_flow(directory: Path, name: str) -> FlowDefinition:
    """The flow `name` from `directory`/flows (DefinitionError when unknown or invalid)."""
    path = Path(directory) / FLOWS_DIR / f"{name}.yaml"
    if not name or "/" in name or not path.is_file():
        raise DefinitionError([DefinitionIssue(path, None, f"no flow named {name!r}")])
    return load_flow_file(path)


def sample_org_issues(path: Path, flow: FlowDefinition, approval: ApprovalDefinition) -> list[DefinitionIssue]:
    """Approver rules that name nobody in the sample org (the requester never counts)."""
    org, requester_id, owner_id = approval.sample_org.view()
    node, _ = _compose(path.read_text(encoding="utf-8"), path)
    issues = []
    for index, step in enumerate(flow.steps):
        for j, rule in enumerate(step.approvers):
            if not resolve_rule(rule, org, requester_id=requester_id, owner_id=owner_id):
                issues.append(
                    DefinitionIssue(
                        path,
                        _locate(node, ("steps", index, "approvers", j)),
                        f"steps.{index}.approvers.{j}: {rule.describe()} resolves to nobody "
                        f"in the sample org (approval.yaml sample_org)",
                    )
                )
    return issues


def check_flows(directory: Path) -> tuple[dict[str, FlowDefinition], list[DefinitionIssue]]:
    """Load every flow in `directory`/flows and resolve its approver rules in the sample org."""
    folder = Path(directory) / FLOWS_DIR
    if not folder.is_dir():
        return {}, []
    try:
        approval = load_as(directory, ApprovalDefinition)
    except (DefinitionError, StopIteration):
        approval = None  # its own problems are reported by check_directory
    loaded: dict[str, FlowDefinition] = {}
    issues: list[DefinitionIssue] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            flow = load_flow_file(path)
        except DefinitionError as exc:
            issues.extend(exc.issues)
            continue
        found = sample_org_issues(path, flow, approval) if approval is not None else []
        if found:
            issues.extend(found)
        else:
            loaded[flow.flow] = flow
    return loaded, issues


def load_flows(directory: Path) -> dict[str, FlowDefinition]:
    """Every flow that passes the check, by name; DefinitionError lists all problems."""
    loaded, issues = check_flows(directory)
    if issues:
        raise DefinitionError(issues)
    return loaded
