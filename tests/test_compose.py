"""The compose stack and the Dockerfile, checked by reading them (this machine runs no Docker engine)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from typer.testing import CliRunner

from crmflow.cli import app as cli
from crmflow.settings import Settings
from crmflow.temporal import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parent.parent
CRMFLOW_SERVICES = ("migrate", "api", "worker")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


def _depends(service: dict) -> dict[str, str]:
    """depends_on as {target: condition}, whichever of the two compose syntaxes it uses."""
    depends = service.get("depends_on", {})
    if isinstance(depends, list):
        return {name: "service_started" for name in depends}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in depends.items()}


def _ports(service: dict) -> set[str]:
    return {str(p) for p in service.get("ports", [])}


def test_every_dependency_exists_with_a_known_condition(services: dict) -> None:
    conditions = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, service in services.items():
        for target, condition in _depends(service).items():
            assert target in services, f"{name} depends on unknown service {target}"
            assert condition in conditions, (name, target, condition)
            if condition == "service_healthy":
                assert "healthcheck" in services[target], f"{target} has no healthcheck for {name} to wait on"
    # No cycles: compose would refuse to start.
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"dependency cycle {path + (name,)}"
        if name not in done:
            for target in _depends(services[name]):
                visit(target, path + (name,))
            done.add(name)

    for name in services:
        visit(name, ())


def test_published_ports(services: dict) -> None:
    assert "8000:8000" in _ports(services["api"])
    assert "7233:7233" in _ports(services["temporal"])
    assert "8233:8080" in _ports(services["temporal-ui"])


def test_postgres_and_temporal_server(services: dict) -> None:
    postgres = services["postgresql"]
    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    temporal = services["temporal"]
    assert temporal["image"].startswith("temporalio/auto-setup")
    env = temporal["environment"]
    assert env["DB"] == "postgres12" and env["POSTGRES_SEEDS"] == "postgresql"
    assert (env["POSTGRES_USER"], env["POSTGRES_PWD"]) == (
        postgres["environment"]["POSTGRES_USER"], postgres["environment"]["POSTGRES_PASSWORD"])
    assert _depends(temporal) == {"postgresql": "service_healthy"}
    ui = services["temporal-ui"]
    assert ui["environment"]["TEMPORAL_ADDRESS"] == "temporal:7233" and "temporal" in _depends(ui)


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
    assert env["CRMFLOW_TEMPORAL_NAMESPACE"] == services["temporal"]["environment"]["DEFAULT_NAMESPACE"]

    assert service["build"]["dockerfile"] == "Dockerfile" and service["image"] == "crmflow:latest"
    # The command is a real crmflow command.
    assert service["command"][0] == "crmflow"
    assert CliRunner().invoke(cli, [*service["command"][1:], "--help"]).exit_code == 0


def test_startup_order(services: dict) -> None:
    assert services["migrate"]["command"] == ["crmflow", "db", "upgrade"]
    assert _depends(services["migrate"]) == {"postgresql": "service_healthy"}
    assert services["worker"]["command"] == ["crmflow", "worker"]
    for name in ("api", "worker"):
        depends = _depends(services[name])
        assert depends["migrate"] == "service_completed_successfully"
        assert depends["temporal-admin-tools"] == "service_completed_successfully"  # attributes exist first
        assert "temporal" in depends


def test_search_attributes_registered_are_exactly_crmflows(services: dict) -> None:
    tools = services["temporal-admin-tools"]
    assert tools["environment"]["TEMPORAL_ADDRESS"] == "temporal:7233"
    registered = tools["environment"]["CRMFLOW_SEARCH_ATTRIBUTES"].split()
    assert registered == [key.name for key in SEARCH_ATTRIBUTES]
    script = "\n".join(tools["command"])
    assert "for name in $$CRMFLOW_SEARCH_ATTRIBUTES" in script
    assert re.search(r'search-attribute create .*--name "\$\$name" --type Keyword', script)
    assert tools.get("restart") == "no"


def test_dockerfile_installs_the_package_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = [line.strip() for line in dockerfile.splitlines() if line.strip() and not line.startswith("#")]
    assert instructions[0] == "FROM python:3.11-slim"
    assert re.search(r"^RUN pip install \.(\s|$)", dockerfile, re.MULTILINE)
    assert re.search(r"^EXPOSE .*\b8000\b", dockerfile, re.MULTILINE)
    user = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert user and user[-1] not in {"root", "0"}
    assert 'CMD ["crmflow", "api", "--host", "0.0.0.0"' in dockerfile

    # Every package pyproject installs (and the worker module) is copied into the build.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = [p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]]
    copied = set(re.findall(r"^COPY (.+) \S+$", dockerfile, re.MULTILINE))
    copied_names = {name for line in copied for name in line.split()}
    for package in packages:
        assert package in copied_names, f"{package} is not copied into the image"
    assert {"pyproject.toml", *(f"{m}.py" for m in project["tool"]["setuptools"]["py-modules"])} <= copied_names

    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert not ignored & {*packages, "pyproject.toml", "worker.py"}
