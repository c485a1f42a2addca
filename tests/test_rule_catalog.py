"""The shipped rules' catalogue (jobcheck.lint.registry): a start-up cache of the parsed rule
files that must never give other rules than parsing the files does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jobcheck import record
from jobcheck.data import data_dir, data_path
from jobcheck.lint import registry


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("JOBCHECK_NO_RULE_CATALOG", raising=False)
    registry._shipped_rules.cache_clear()
    yield tmp_path / "cache" / "jobcheck"
    registry._shipped_rules.cache_clear()


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    """A private copy of the shipped rules directory, used as the shipped one."""
    copy = tmp_path / "rules"
    shutil.copytree(data_dir("rules"), copy)
    monkeypatch.setattr(registry, "data_path", lambda name: str(copy) if name == "rules" else data_path(name))
    return copy


def _parsed(monkeypatch) -> dict:
    monkeypatch.setenv("JOBCHECK_NO_RULE_CATALOG", "1")
    registry._shipped_rules.cache_clear()
    try:
        return registry.load_rules()
    finally:
        monkeypatch.delenv("JOBCHECK_NO_RULE_CATALOG")
        registry._shipped_rules.cache_clear()


def _same(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for rid in a:
        assert a[rid] == b[rid]
        for f in record.fields(a[rid]):  # equal values of the same types (a tuple stays a tuple)
            assert type(getattr(a[rid], f.name)) is type(getattr(b[rid], f.name)), (rid, f.name)


def test_the_catalogue_gives_exactly_the_parsed_rules(cache_home, monkeypatch):
    first = registry.load_rules()  # parses and writes the catalogue
    assert len(list(cache_home.glob("rules-*.marshal"))) == 1
    registry._shipped_rules.cache_clear()

    def no_parsing(path):
        raise AssertionError(f"parsed {path} although the catalogue is current")

    monkeypatch.setattr(registry, "load_rule_file", no_parsing)
    from_catalogue = registry.load_rules()
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home.parent))
    _same(from_catalogue, first)
    _same(from_catalogue, _parsed(monkeypatch))


def test_a_changed_rule_file_is_read_again(cache_home, rules_copy):
    before = registry.load_rules()
    path = next(rules_copy.glob("JC306-*.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary:", "summary: changed", 1), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a coarse clock cannot hide it
    registry._shipped_rules.cache_clear()
    after = registry.load_rules()
    assert after["JC306"].summary.startswith("changed")
    assert before["JC306"].summary != after["JC306"].summary


def test_an_added_rule_file_is_read(cache_home, rules_copy):
    registry.load_rules()
    source = next(rules_copy.glob("JC306-*.yaml"))
    text = source.read_text(encoding="utf-8").replace("JC306", "JC999", 1).replace("concurrency-allow", "copy-rule", 1)
    (rules_copy / "JC999-copy-rule.yaml").write_text(text, encoding="utf-8")
    registry._shipped_rules.cache_clear()
    assert "JC999" in registry.load_rules()


def test_a_corrupt_catalogue_is_ignored_and_rewritten(cache_home, monkeypatch):
    expected = _parsed(monkeypatch)
    registry.load_rules()
    (catalogue,) = cache_home.glob("rules-*.marshal")
    for damage in (b"", b"not marshal at all", catalogue.read_bytes()[:1000], b"\xe9" * 64):
        catalogue.write_bytes(damage)
        registry._shipped_rules.cache_clear()
        _same(registry.load_rules(), expected)
        assert catalogue.read_bytes() not in (damage,)  # rewritten whole


def test_a_catalogue_of_another_directory_is_not_used(cache_home, rules_copy, monkeypatch):
    registry.load_rules()  # the copy's catalogue
    (catalogue,) = cache_home.glob("rules-*.marshal")
    monkeypatch.setattr(registry, "data_path", data_path)  # the real directory, same file names and sizes
    registry._shipped_rules.cache_clear()
    # Whatever file name the real directory's catalogue gets, the copy's signature (its path)
    # does not match it: the real rules come back with their own source paths.
    rules = registry.load_rules()
    assert all(Path(r.source).parent == data_dir("rules") for r in rules.values())


def test_an_unwritable_cache_directory_costs_only_the_parse(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    registry._shipped_rules.cache_clear()
    try:
        rules = registry.load_rules()
    finally:
        registry._shipped_rules.cache_clear()
    _same(rules, _parsed(monkeypatch))
    assert blocker.read_text(encoding="utf-8").startswith("a file")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]  # no temporary file left behind


def test_a_relative_cache_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    registry._shipped_rules.cache_clear()
    try:
        registry.load_rules()
    finally:
        registry._shipped_rules.cache_clear()
    assert not (tmp_path / "relative-cache").exists()  # nothing written under the working directory
    assert list((tmp_path / "home" / ".cache" / "jobcheck").glob("rules-*.marshal"))
