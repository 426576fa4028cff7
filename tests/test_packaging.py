"""crmflow's top-level package names are its own in this venv, and the guard trips on a colliding one."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from crmflow.packaging import TOP_LEVEL_NAMES, PackageCollision, check_top_level_packages, installation_root


def test_no_other_installed_distribution_provides_our_top_level_names() -> None:
    provided = packages_distributions()
    for name in (*TOP_LEVEL_NAMES, "crmflow"):
        others = {dist for dist in provided.get(name, []) if dist.lower() != "crmflow"}
        assert not others, f"{name!r} is also provided by {sorted(others)}"


def test_guard_passes_in_this_install() -> None:
    check_top_level_packages()


def _fake_distribution(site: Path, package: str, dist: str) -> None:
    """A package `package` with dist-info metadata naming `dist`, as pip would leave it in site-packages."""
    (site / package).mkdir()
    (site / package / "__init__.py").write_text("")
    info = site / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "top_level.txt").write_text(f"{package}\n")
    (info / "RECORD").write_text(f"{package}/__init__.py,,\n")


def test_guard_names_the_colliding_distribution(tmp_path: Path) -> None:
    _fake_distribution(tmp_path, "db", "someone-elses-db")
    # A fresh interpreter with the fake ahead of ours on sys.path, as a site-packages that shadows crmflow's.
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import importlib; importlib.invalidate_caches()\n"
        "from crmflow.packaging import check_top_level_packages\n"
        "check_top_level_packages()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "PackageCollision" in last_line
    assert "'db'" in last_line and "someone-elses-db" in last_line and str(tmp_path / "db") in last_line


def test_guard_in_process_with_a_fake_on_sys_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_distribution(tmp_path, "definitions_probe", "probe-dist")
    monkeypatch.syspath_prepend(str(tmp_path))
    # A name outside crmflow's root that something else provides trips the guard; the real names still pass.
    with pytest.raises(PackageCollision, match="probe-dist"):
        check_top_level_packages(("definitions_probe",))
    check_top_level_packages()
    assert not (installation_root() / "definitions_probe").exists()


def test_cli_refuses_to_start_with_one_clear_line(tmp_path: Path) -> None:
    _fake_distribution(tmp_path, "workflows", "other-workflows")
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); sys.argv = ['crmflow', 'schedules', '--help']\n"
        "from crmflow.cli import app\n"
        "app()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("crmflow: top-level package 'workflows'") and "other-workflows" in result.stderr
