"""The layers of docs/architecture.md hold: import-linter checks the contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if command is None:
        pytest.fail("lint-imports is missing: install the test extras (pip install '.[test]')")
    return subprocess.run([command, "--no-cache", *args], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept() -> None:
    proc = lint_imports()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 kept, 0 broken" in proc.stdout


def test_a_broken_contract_is_reported(tmp_path: Path) -> None:
    # The same package with the layers turned upside down: the check must notice.
    config = tmp_path / "upside-down.ini"
    config.write_text(
        "[importlinter]\nroot_package = jobcheck\n\n"
        "[importlinter:contract:upside-down]\nname = upside down\ntype = layers\n"
        "layers =\n    jobcheck.yaml\n    jobcheck.lint\n    jobcheck.cli\n",
        encoding="utf-8",
    )
    proc = lint_imports("--config", str(config))
    assert proc.returncode != 0
    assert "BROKEN" in proc.stdout
