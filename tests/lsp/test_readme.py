"""The README's editor snippets name the right command and parse (the ones that can be checked)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def snippets() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### In the editor", 1)[1].split("\n## ", 1)[0]
    return {lang: body for lang, body in re.findall(r"```(\w+)\n(.*?)```", section, re.S)}


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib")
def test_helix_toml_parses_and_names_the_command():
    import tomllib

    config = tomllib.loads(snippets()["toml"])
    server = config["language-server"]["jobcheck"]
    assert [server["command"], *server["args"]] == ["jobcheck", "lsp"]
    (yaml,) = [lang for lang in config["language"] if lang["name"] == "yaml"]
    assert "jobcheck" in yaml["language-servers"]


def test_vscode_settings_parse_and_name_the_command():
    settings = json.loads(snippets()["json"])
    assert [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]] == ["jobcheck", "lsp"]
    assert "yaml" in settings["glspc.server.languageId"]


def lua_balanced(source: str) -> bool:
    """Brackets balance outside strings and comments, and every `if`/`function` has its `end`."""
    code = re.sub(r"--[^\n]*", "", re.sub(r'"(?:\\.|[^"\\])*"', '""', source))
    stack = []
    for ch in code:
        if ch in "({[":
            stack.append(ch)
        elif ch in ")}]":
            if not stack or "({[".index(stack.pop()) != ")}]".index(ch):
                return False
    words = re.findall(r"\b(if|function|do|end)\b", code)
    opened = sum(1 for w in words if w in ("if", "function", "do")) - len(re.findall(r"\bfor\b|\bwhile\b", code))
    return not stack and opened == words.count("end")


def test_neovim_lua_is_plausible_and_names_the_command():
    lua = snippets()["lua"]
    assert lua_balanced(lua)
    assert not lua_balanced(lua + "\n}")  # the check can fail
    assert re.search(r'cmd\s*=\s*\{\s*"jobcheck",\s*"lsp"\s*\}', lua)
    assert 'require("lspconfig")' in lua and "lspconfig.jobcheck.setup" in lua
