"""Packaging facts a fresh clone relies on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jobcheck.data import data_dir

REPO = Path(__file__).resolve().parents[1]


def test_rules_and_schemas_are_found() -> None:
    assert len(list(data_dir("rules").glob("JC*.yaml"))) >= 44
    assert (data_dir("schemas") / "v1.37" / "cronjob.json").is_file()


def test_wheel_maps_rules_and_schemas_into_the_package() -> None:
    text = (REPO / "pyproject.toml").read_text()
    assert '"rules" = "jobcheck/_data/rules"' in text and '"schemas" = "jobcheck/_data/schemas"' in text


@pytest.mark.parametrize("config", [".pre-commit-config.yaml", ".pre-commit-hooks.yaml"])
def test_pre_commit_files_are_valid(config: str) -> None:
    if shutil.which("pre-commit") is None and not (Path(sys.executable).parent / "pre-commit").exists():
        pytest.skip("pre-commit is not installed")
    exe = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    verb = "validate-config" if config == ".pre-commit-config.yaml" else "validate-manifest"
    result = subprocess.run([exe, verb, str(REPO / config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
