"""The result cache (jobcheck.cache): a hit gives the bytes a fresh lint gives, in every format and
with any --jobs; every setting a finding depends on invalidates it; a broken entry is a miss and is
written again; runs may share it; it is left alone by stdin, --fix, --diff and --no-cache."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import jobcheck
from jobcheck import cache as cache_mod
from jobcheck import run as run_mod
from jobcheck.cache import DIRNAME, Cache, cache_dir, clock_rules, settings_digest
from jobcheck.cli import main
from jobcheck.lint.engine import FileResult
from jobcheck.lint.options import build_options
from jobcheck.record import replace
from jobcheck.report import REPORTERS

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "tests" / "rules"

BAD_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: bad
spec:
  template:
    spec:
      containers:
        - name: c
          image: busybox:1.36
"""

SECRET = "ghp_R8x2kLm4Qz7Tn1Vb6Yw3Hc9Jd5Fs0Pa2Ue4G"


def _tree(root: Path) -> list[Path]:
    """Inputs of every sort a report shows: findings with fixes and spans, suppressions (used and
    not), a dated schedule finding, secrets, a file that is not text, one that is not a manifest."""
    root.mkdir(parents=True, exist_ok=True)
    files = []
    for rule in ("unused-suppression", "day-or-semantics", "secret-literal-in-env", "overlapping-runs"):
        for fixture in sorted((RULES / rule).glob("*.yaml")):
            target = root / f"{rule}-{fixture.name}"
            target.write_bytes(fixture.read_bytes())
            files.append(target)
    (root / "bad.yaml").write_text(BAD_JOB)
    (root / "binary.yaml").write_bytes(b"apiVersion: batch/v1\nkind: Job\n\xff\xfe\x00bad")
    (root / "notes.yaml").write_text("just: a mapping\n")
    return files


def _lint(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["lint", "--no-color", *args], input=input, catch_exceptions=False)


def _packs(directory: Path) -> list[Path]:
    return sorted((directory / str(cache_mod.FORMAT)).glob("pack-*.json")) if directory.is_dir() else []


def _read(pack: Path) -> dict:
    """A pack as data: its head, and ``texts``, its table (the texts, not their JSON strings)."""
    head, _, rest = pack.read_text().partition("\n")
    return {**json.loads(head), "texts": json.loads("[" + rest.replace("\n", ",") + "]")}


def _text(data: dict) -> str:
    """``data`` (as ``_read`` gives it) as a pack's text: the head, then a JSON string a line."""
    head = {**{k: v for k, v in data.items() if k != "texts"}, "count": len(data["texts"])}
    return json.dumps(head, separators=(",", ":")) + "\n" + "\n".join(map(json.dumps, data["texts"]))


def _without_json(entries: dict) -> dict:
    """``entries`` without where their JSON texts are (``json``: kept by a JSON run)."""
    return {slot: {k: v for k, v in entry.items() if k != "json"} for slot, entry in entries.items()}


def _pack_holding(directory: Path, file: str) -> Path:
    """The pack (of the settings' shards) holding the entry of ``file``."""
    [pack] = [p for p in _packs(directory) if f"0{file}" in _read(p)["entries"]]
    return pack


def _numbers(entry: dict) -> tuple[list[int], int]:
    """An entry's numbers (its counts, then its findings' columns) and how many findings they hold."""
    numbers = list(cache_mod._unpack_ints(entry["findings"]))
    return numbers, (len(numbers) - len(cache_mod._COUNTS)) // cache_mod._WIDTH


def _with_numbers(entry: dict, change) -> dict:
    """``entry`` with ``change(numbers, texts, nullable)`` made to its numbers: ``texts`` and
    ``nullable`` are the ranges of the text columns never null and of those that may be (0: null)."""
    numbers, count = _numbers(entry)
    start = len(cache_mod._COUNTS)
    middle = start + cache_mod._STRINGS * count
    change(numbers, range(start, middle), range(middle, start + cache_mod._NULLABLE * count))
    return {**entry, "findings": cache_mod._pack_ints(numbers)}


def _entries(directory: Path) -> dict[str, dict]:
    """Every entry of every pack in ``directory``, by slot (packs that do not read back count none)."""
    found: dict[str, dict] = {}
    for pack in _packs(directory):
        found.update(cache_mod._read_pack(str(pack), pack.stem.removeprefix("pack-"))[0])
    return found


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    _tree(tmp_path / "repo")
    return tmp_path / "repo"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv(cache_mod.ENV, str(home))
    return home


def _forbid_linting(monkeypatch) -> None:
    """A hit must not lint: any linting in this process fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("linted although the cache holds the file")

    monkeypatch.setattr(run_mod, "lint_input", refuse)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fmt", list(REPORTERS))
def test_a_hit_gives_the_bytes_of_a_fresh_lint(tree: Path, cache_home: Path, monkeypatch, fmt: str, jobs: str) -> None:
    fresh = _lint("--format", fmt, "--no-cache", str(tree))
    cold = _lint("--format", fmt, "--jobs", jobs, str(tree))
    assert len(_entries(cache_home)) == len(list(tree.iterdir()))
    _forbid_linting(monkeypatch)
    warm = _lint("--format", fmt, "--jobs", jobs, str(tree))
    assert (cold.stdout, cold.stderr, cold.exit_code) == (fresh.stdout, fresh.stderr, fresh.exit_code)
    assert (warm.stdout, warm.stderr, warm.exit_code) == (fresh.stdout, fresh.stderr, fresh.exit_code)


def _json_files(directory: Path) -> list[Path]:
    return sorted((directory / str(cache_mod.FORMAT)).glob("json-*.txt"))


def _forbid_columns(monkeypatch) -> None:
    """A JSON hit whose text was kept must not be built again from its columns."""
    from jobcheck.report import json as report_json

    def refuse(*args, **kwargs):
        raise AssertionError("the JSON text of a hit was built again")

    monkeypatch.setattr(report_json, "columns_json", refuse)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fill", ["json", "text"])
def test_a_json_run_keeps_its_text_of_each_file_and_the_next_writes_it_back(
        tree: Path, cache_home: Path, monkeypatch, fill: str, jobs: str) -> None:
    """A JSON run keeps what it wrote of each file, linted (``fill`` json) or a hit of a run of
    another format (``fill`` text, kept by the JSON run after): the next one writes it as it is."""
    fresh = _lint("--format", "json", "--no-cache", str(tree))
    _lint("--format", fill, "--jobs", jobs, str(tree))
    if fill == "text":
        assert not _json_files(cache_home)
        assert _lint("--format", "json", "--jobs", jobs, str(tree)).stdout == fresh.stdout
    files = _json_files(cache_home)
    named = {_read(pack).get("json") for pack in _packs(cache_home)} - {None}
    assert files and {f.name.rsplit("-", 1)[1].removesuffix(".txt") for f in files} == named
    with_findings = [e for e in _entries(cache_home).values() if _numbers(e)[1]]
    assert with_findings and all("json" in e for e in with_findings)
    _forbid_linting(monkeypatch)
    _forbid_columns(monkeypatch)
    warm = _lint("--format", "json", "--jobs", jobs, str(tree))
    assert (warm.stdout, warm.stderr, warm.exit_code) == (fresh.stdout, fresh.stderr, fresh.exit_code)


@pytest.mark.parametrize("damage", ["missing", "truncated", "shifted", "not-ascii", "bad-span"])
def test_a_json_text_that_does_not_read_back_is_built_again_and_kept(tree: Path, cache_home: Path, monkeypatch,
                                                                      damage: str) -> None:
    fresh = _lint("--format", "json", "--no-cache", str(tree)).stdout
    _lint("--format", "json", str(tree))
    for path in _json_files(cache_home):
        data = path.read_bytes()
        if damage == "missing":
            path.unlink()
        elif damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "shifted":
            path.write_bytes(b" " + data[:-1])
        elif damage == "not-ascii":
            path.write_bytes(data.replace(b'"rule"', b'"r\xffle"'))
    if damage == "bad-span":
        for pack in _packs(cache_home):
            data = _read(pack)
            spans = iter([[-5, 10], [0, 10**15], [10**30, 1], [0, "x"]] * 100)
            data["entries"] = {slot: {**e, "json": next(spans)} if "json" in e else e for slot, e in data["entries"].items()}
            pack.write_text(_text(data))
    assert _lint("--format", "json", str(tree)).stdout == fresh
    _forbid_columns(monkeypatch)  # each text was kept again, in a new file
    assert _lint("--format", "json", str(tree)).stdout == fresh


def test_a_pack_written_again_names_one_json_file_and_the_old_ones_go(tree: Path, cache_home: Path) -> None:
    _lint("--format", "json", str(tree))
    before = _json_files(cache_home)
    changed = next(tree.glob("secret-literal-in-env-bad*.yaml"))
    changed.write_text(changed.read_text() + "# edited\n")
    fresh = _lint("--format", "json", "--no-cache", str(tree)).stdout
    assert _lint("--format", "json", str(tree)).stdout == fresh
    after = _json_files(cache_home)
    rewritten = _read(_pack_holding(cache_home, str(changed))).get("json")
    assert len(after) == len(before) and rewritten in {f.name.rsplit("-", 1)[1][:-4] for f in after}
    assert set(before) - set(after)  # the changed file's pack has a new one


def test_a_run_keeps_json_texts_in_a_file_of_its_own_and_removes_it(tree: Path, cache_home: Path,
                                                                    monkeypatch) -> None:
    """The texts a run keeps go to a file as they come (its memory stays flat), gone after it;
    one it cannot write is not kept, and the report is the same."""
    fresh = _lint("--format", "json", "--no-cache", str(tree)).stdout
    seen = []
    real = cache_mod.Cache._save
    monkeypatch.setattr(cache_mod.Cache, "_save", lambda self, kept: seen.extend(
        p.name for p in (cache_home / str(cache_mod.FORMAT)).glob("*.tmp")) or real(self, kept))
    assert _lint("--format", "json", str(tree)).stdout == fresh
    assert seen and not list((cache_home / str(cache_mod.FORMAT)).glob("*.tmp")) and _json_files(cache_home)
    shutil.rmtree(cache_home)
    real_open = open

    def failing(path, *args, **kwargs):
        if str(path).endswith(".tmp") and "json-" in str(path):
            raise OSError("no room")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing)
    assert _lint("--format", "json", str(tree)).stdout == fresh
    assert not _json_files(cache_home) and _entries(cache_home)


def test_a_hit_shows_source_and_lists_skips_as_a_fresh_lint(tree: Path, cache_home: Path, monkeypatch) -> None:
    args = ("--show-source", "--verbose", str(tree))
    fresh = _lint("--no-cache", *args)
    _lint(*args)
    _forbid_linting(monkeypatch)
    warm = _lint(*args)
    assert "^" in fresh.stdout and "skipped" in fresh.stderr
    assert (warm.stdout, warm.stderr) == (fresh.stdout, fresh.stderr)


def test_an_entry_holds_only_what_reports_print(tree: Path, cache_home: Path) -> None:
    """Findings are redacted before they are stored: the secrets of the inputs are nowhere in the cache."""
    _lint(str(tree))
    stored = b"".join(p.read_bytes() for p in cache_home.rglob("*") if p.is_file())
    assert b"JC501" in stored
    for secret in (SECRET, "s3cr3t-Pa55", "Tr0ub4dor", "AKIAZ7QK3MXN4PLW2RTB"):
        assert secret.encode() not in stored


def _findings(*args: str) -> set[tuple[str, str]]:
    result = _lint("--format", "json", *args)
    return {(Path(f["file"]).name, f["rule"]) for f in json.loads(result.stdout)["findings"]}


def test_a_changed_file_is_linted_again(tree: Path, cache_home: Path) -> None:
    target = tree / "bad.yaml"
    before = _findings(str(target))
    target.write_text(BAD_JOB.replace("busybox:1.36", "busybox:latest"))
    after = _findings(str(target))
    assert after != before
    assert after == _findings("--no-cache", str(target))


def test_the_nearest_config_is_part_of_the_key(tree: Path, cache_home: Path) -> None:
    target = tree / "bad.yaml"
    (tree / ".jobcheck.yaml").write_text("ignore: []\n")
    before = _findings(str(target))
    assert ("bad.yaml", "JC201") in before
    (tree / ".jobcheck.yaml").write_text("ignore: [JC201]\n")
    after = _findings(str(target))
    assert after == before - {("bad.yaml", "JC201")}


@pytest.mark.parametrize("change", [("--select", "JC201"), ("--ignore", "JC201"), ("-k", "1.29"),
                                    ("--no-strict",)])
def test_the_command_line_settings_are_part_of_the_key(tree: Path, cache_home: Path, change) -> None:
    files = [str(p) for p in sorted(tree.glob("*.yaml"))]
    _findings(*files)
    assert _findings(*change, *files) == _findings("--no-cache", *change, *files)


def test_every_setting_and_the_code_change_the_digest(monkeypatch) -> None:
    base = settings_digest(build_options())
    assert settings_digest(build_options()) == base  # stable within a process
    assert settings_digest(build_options(kubernetes_version="1.29")) != base
    options = build_options()
    options.params = {**options.params, "JC306": {"anything": 1}}
    assert settings_digest(options) != base
    options = build_options()
    options.active = options.active - {"JC201"}
    assert settings_digest(options) != base
    options = build_options()
    options.rules = {**options.rules, "JC201": replace(options.rules["JC201"], check={"edited": True})}
    assert settings_digest(options) != base
    # Another version of jobcheck (or an edited checkout: each file's size and mtime count).
    monkeypatch.setattr(jobcheck, "__version__", "999.0")
    monkeypatch.setattr(cache_mod, "_CODE", [])
    assert settings_digest(build_options()) != base


def test_a_custom_rules_check_module_is_part_of_the_digest(tmp_path: Path, monkeypatch) -> None:
    module = tmp_path / "acme_checks_for_cache_test.py"
    module.write_text("def check(w, params):\n    return iter(())\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    options = build_options()
    options.rules = {**options.rules, "JC201": replace(options.rules["JC201"],
                                                        check={"python": "acme_checks_for_cache_test:check"})}
    before = settings_digest(options)
    module.write_text("def check(w, params):\n    yield from ()  # edited\n")
    assert settings_digest(options) != before


def test_the_digest_is_the_same_in_another_process() -> None:
    """Set iteration order changes between processes (hash seeds): the digest must not."""
    code = "from jobcheck.cache import settings_digest; from jobcheck.lint.options import build_options; " \
           "print(settings_digest(build_options()))"
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(seen) == 1


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "other-settings", "table-not-json", "table-short",
                                    "wrong-types",
                                    "bad-index", "bad-null", "bad-severity", "short", "bad-typecode",
                                    "bad-base64", "not-ascii", "odd-bytes", "null-cross", "bad-deferred",
                                    "no-key"])
def test_a_broken_pack_or_entry_is_a_miss_and_is_written_again(tree: Path, cache_home: Path, damage: str) -> None:
    files = [str(tree / "bad.yaml"), str(next(tree.glob("secret-literal-in-env-bad*.yaml")))]
    fresh = _lint("--format", "json", "--no-cache", *files).stdout
    _lint(*files)
    packs = _packs(cache_home)
    originals = {}
    for pack in packs:  # each file's pack (one of the settings' shards) damaged the same way
        text = pack.read_text()
        data = originals[pack] = _read(pack)

        def entries(change, data=data) -> str:
            return _text({**data, "entries": {slot: change(e) for slot, e in data["entries"].items()}})

        broken = {
            "truncate": text[: len(text) // 2],
            "garbage": "\x00\x01 not json",
            "empty": "",
            "other-settings": _text({**data, "settings": "0" * 32}),
            "table-not-json": text.replace('"\n"', '" "\n"', 1),
            "table-short": text.rsplit("\n", 1)[0],
            "wrong-types": entries(lambda e: {**e, "findings": [[1, 2, 3]] * 15}),
            "bad-index": entries(lambda e: _with_numbers(e, lambda n, texts, nullable: n.__setitem__(texts[-1], 10**6))),
            "bad-null": entries(lambda e: _with_numbers(e, lambda n, texts, nullable: n.__setitem__(nullable[0], 10**6))),
            "bad-severity": entries(lambda e: _with_numbers(e, lambda n, texts, nullable: n.__setitem__(nullable[-1] + 1, 3))),
            "short": entries(lambda e: _with_numbers(e, lambda n, texts, nullable: n.pop())),
            "bad-typecode": entries(lambda e: {**e, "findings": "d" + e["findings"][1:]}),
            "bad-base64": entries(lambda e: {**e, "findings": e["findings"][:-1]}),
            "not-ascii": entries(lambda e: {**e, "findings": e["findings"] + "\u00e9"}),
            "odd-bytes": entries(lambda e: {**e, "findings": "H" + base64.b64encode(b"\0\1\2").decode()}),
            "null-cross": entries(lambda e: {**e, "cross": None}),
            "bad-deferred": entries(lambda e: {**e, "deferred": {}}),
            "no-key": entries(lambda e: {k: v for k, v in e.items() if k != "key"}),
        }[damage]
        pack.write_text(broken)
    assert _lint("--format", "json", *files).stdout == fresh
    for pack in packs:  # rewritten whole (with where the JSON run kept its text of each file)
        assert _without_json(_read(pack)["entries"]) == originals[pack]["entries"]
    assert _lint("--format", "json", *files).stdout == fresh


def test_a_result_with_an_internal_error_or_of_a_changed_file_is_not_kept(tmp_path: Path) -> None:
    options = build_options()
    target = tmp_path / "a.yaml"
    target.write_text(BAD_JOB)
    cache = Cache(str(tmp_path / "cache"))
    probe = cache.probe(str(target), str(target), False, options)
    failed = FileResult(linted=1, internal_error_count=1)
    assert cache.store(probe, str(target), str(target), options, failed, []) is None
    cache.save()
    assert not _packs(tmp_path / "cache")
    target.write_text(BAD_JOB + "# edited while it was linted\n")
    assert cache.store(probe, str(target), str(target), options, FileResult(linted=1), []) is None
    cache.save()
    assert not _packs(tmp_path / "cache")


def _stored(tmp_path: Path, text: str = BAD_JOB, trust_all: bool = True) -> tuple[Path, Cache]:
    """A file linted through a cache that was saved; with ``trust_all``, its stat is trusted
    however recent (the tests need not wait for their files to age)."""
    target = tmp_path / "a.yaml"
    target.write_text(text)
    cache = Cache(str(tmp_path / "cache"))
    if trust_all:
        cache.trusted_before = 1 << 62
    outcome = run_mod.lint_cached(run_mod.Target(str(target)), build_options(), cache)
    assert outcome.cached is not None
    cache.save()
    return target, cache


def _reader(tmp_path: Path) -> Cache:
    reader = Cache(str(tmp_path / "cache"))
    reader.trusted_before = 1 << 62
    return reader


def test_an_unchanged_stat_is_trusted_without_reading_the_file(tmp_path: Path, monkeypatch) -> None:
    target, _ = _stored(tmp_path)
    options = build_options()
    reader = _reader(tmp_path)

    def refuse(path, *args, **kwargs):
        if path == str(target):
            raise AssertionError("read although its stat is unchanged")
        return open(path, *args, **kwargs)  # the pack

    monkeypatch.setattr(cache_mod, "open", refuse, raising=False)
    probe = reader.probe(str(target), str(target), False, options)
    assert probe is not None and probe.entry is not None
    assert reader.load(probe, options) is not None


@pytest.mark.parametrize("how", ["in place, mtime restored (touch -d)", "renamed over, mtime restored"])
def test_a_change_keeping_size_and_mtime_is_caught_by_ctime_or_inode(tmp_path: Path, how: str) -> None:
    """An edit of the same size whose modification time is set back (``touch -d``, ``cp -p``, a
    tool that restores it) still changes the inode's change time, which no user can set, or the
    inode itself: the stat differs, the bytes are hashed, and the old entry is not used."""
    target, _ = _stored(tmp_path)
    before = os.stat(target)
    changed = BAD_JOB.replace("busybox:1.36", "busybox:9.99")
    assert len(changed) == len(BAD_JOB)
    time.sleep(0.05)  # past the file system's clock tick
    if how.startswith("in place"):
        target.write_text(changed)
    else:
        (tmp_path / "new.yaml").write_text(changed)
        os.replace(tmp_path / "new.yaml", target)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(target)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    options = build_options()
    probe = _reader(tmp_path).probe(str(target), str(target), False, options)
    assert probe is not None and probe.entry is None


def test_a_recent_stat_is_not_trusted(tmp_path: Path) -> None:
    """A file written within ``RACY_NS`` of the run may change again within its clock's tick
    without its stat showing it: its entry is kept without a stat, and its bytes are hashed next time."""
    target, _ = _stored(tmp_path, trust_all=False)
    [entry] = _entries(tmp_path / "cache").values()
    assert entry["stat"] is None
    options = build_options()
    probe = _reader(tmp_path).probe(str(target), str(target), False, options)
    assert probe is not None and probe.entry is not None and probe.key == entry["key"]


def test_the_same_bytes_under_a_new_stat_are_a_hit_and_the_stat_is_kept(tmp_path: Path) -> None:
    target, _ = _stored(tmp_path)
    os.utime(target, ns=(0, 10**18))
    options = build_options()
    reader = _reader(tmp_path)
    probe = reader.probe(str(target), str(target), False, options)
    assert reader.load(probe, options) is not None
    reader.save()
    [entry] = _entries(tmp_path / "cache").values()
    assert entry["stat"][1] == 10**18


def test_runs_sharing_a_pack_merge_it_and_old_entries_are_pruned(tmp_path: Path) -> None:
    options = build_options()
    # Three files of one pack (entries are dropped when their pack is written again).
    names = (tmp_path / f"{n}.yaml" for n in range(10_000))
    shard = cache_mod._shard(f"0{tmp_path / '0.yaml'}")
    files = [f for f in names if cache_mod._shard(f"0{f}") == shard][:3]
    for f in files:
        f.write_text(BAD_JOB)
    one, two = Cache(str(tmp_path / "cache")), Cache(str(tmp_path / "cache"))
    run_mod.lint_cached(run_mod.Target(str(files[0])), options, one)
    run_mod.lint_cached(run_mod.Target(str(files[1])), options, two)
    one.save()
    two.save()  # read the pack again before writing it: the first run's entry stays
    assert {slot[1:] for slot in _entries(tmp_path / "cache")} == {str(files[0]), str(files[1])}
    pack = _pack_holding(tmp_path / "cache", str(files[0]))
    data = _read(pack)
    data["entries"][f"0{files[0]}"]["used"] -= cache_mod.MAX_AGE_DAYS + 1
    pack.write_text(_text(data))
    three = Cache(str(tmp_path / "cache"))
    run_mod.lint_cached(run_mod.Target(str(files[2])), options, three)
    three.save()
    assert {slot[1:] for slot in _entries(tmp_path / "cache")} == {str(files[1]), str(files[2])}


def test_a_warm_run_writes_nothing(tree: Path, cache_home: Path, monkeypatch) -> None:
    """The pack is written when an entry is added or refreshed, not by a run that only reads it."""
    _lint(str(tree))
    packs = _packs(cache_home)
    assert all(e["stat"] is None for e in _entries(cache_home).values())  # just written: not trusted yet
    monkeypatch.setattr(cache_mod, "RACY_NS", -(1 << 62))  # every stat trusted from now on
    _lint(str(tree))
    assert all(e["stat"] is not None for e in _entries(cache_home).values())
    written = [(pack.stat().st_mtime_ns, pack.read_bytes()) for pack in packs]
    _forbid_linting(monkeypatch)
    _lint("--jobs", "2", str(tree))
    _lint(str(tree))
    assert _packs(cache_home) == packs
    assert [(pack.stat().st_mtime_ns, pack.read_bytes()) for pack in packs] == written


def test_no_cache_writes_nothing(tree: Path, cache_home: Path) -> None:
    _lint("--no-cache", str(tree))
    assert not cache_home.exists()


@pytest.mark.parametrize("args", [("--diff",), ("--fix",)])
def test_fixes_bypass_the_cache(tree: Path, cache_home: Path, args) -> None:
    _lint(*args, str(tree / "bad.yaml"))
    assert not cache_home.exists()


def test_standard_input_writes_no_cache(cache_home: Path, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache_mod.ENV)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = _lint("-", input=BAD_JOB)
    assert "JC201" in result.stdout
    assert not (tmp_path / DIRNAME).exists()


def test_the_cache_lives_at_the_project_root_with_its_gitignore(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(cache_mod.ENV)
    project = tmp_path / "project"
    _tree(project / "deploy" / "jobs")
    (project / ".git").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _lint(str(project / "deploy" / "jobs"), str(project / "deploy" / "jobs" / "bad.yaml"))
    root = project / DIRNAME
    assert (root / ".gitignore").read_text().splitlines()[-1] == "*"
    assert _entries(root)
    assert not (elsewhere / DIRNAME).exists() and not (project / "deploy" / DIRNAME).exists()


def test_the_cache_root_is_the_nearest_marked_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(cache_mod.ENV)
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c" / "x.yaml").write_text(BAD_JOB)
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "a" / "b" / ".jobcheck.yaml").write_text("ignore: []\n")
    assert cache_dir([str(tmp_path / "a" / "b" / "c" / "x.yaml")]) == str(tmp_path / "a" / "b" / DIRNAME)
    # No marker anywhere above: the working directory, as ruff does.
    (tmp_path / "d").mkdir()
    monkeypatch.chdir(tmp_path / "d")
    assert cache_dir(["/"]) == str(tmp_path / "d" / DIRNAME)


def test_jobcheck_cache_dir_moves_it(tree: Path, cache_home: Path) -> None:
    _lint(str(tree))
    assert _entries(cache_home)
    assert (cache_home / ".gitignore").is_file()
    assert not (tree / DIRNAME).exists() and not (tree.parent / DIRNAME).exists()


def test_an_unwritable_cache_leaves_the_run_uncached(tree: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(cache_mod.ENV, str(blocker / "cache"))
    fresh = _lint("--format", "json", "--no-cache", str(tree))
    result = _lint("--format", "json", str(tree))
    assert (result.stdout, result.exit_code) == (fresh.stdout, fresh.exit_code)


def test_two_runs_sharing_the_cache(tree: Path, cache_home: Path) -> None:
    """Two processes linting the same tree at once, twice (both cold, then both warm): each gets
    the report of a fresh lint, and the directory holds whole entries only."""
    fresh = _lint("--format", "json", "--no-cache", str(tree)).stdout
    env = {**os.environ, cache_mod.ENV: str(cache_home)}
    cmd = [sys.executable, "-m", "jobcheck", "lint", "--format", "json", str(tree)]
    for _ in range(2):
        runs = [subprocess.Popen(cmd + ["--jobs", jobs], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
                for jobs in ("1", "2")]
        for process in runs:
            out, err = process.communicate(timeout=300)
            assert out.decode() == fresh, err.decode()
    assert not [p for p in cache_home.rglob("*.tmp")]
    assert len(_entries(cache_home)) == len(list(tree.iterdir()))


def test_clock_rules_are_found_from_their_checks() -> None:
    assert {"JC304", "JC309", "JC310", "JC311"} <= clock_rules(build_options())


def _minute_after(minute: str, minutes: int = 1) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(minute) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def _first_run_minute(fixture: Path, start) -> str:
    """The earliest next run of the fixture's CronJobs after ``start``, as a UTC minute."""
    from datetime import timezone

    from jobcheck.cron.analysis import accepted_schedule, controller_zone, first_runs

    runs = []
    for doc in yaml.safe_load_all(fixture.read_text()):
        zone, _ = controller_zone(doc["spec"].get("timeZone"))
        runs += first_runs(accepted_schedule(doc["spec"]["schedule"]), zone, start, 1).times
    return min(runs).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M")


def _cache_clock_fixtures(tmp_path: Path) -> tuple[Path, Path, Path]:
    dated = tmp_path / "dated.yaml"
    dated.write_bytes((RULES / "day-or-semantics" / "bad.yaml").read_bytes())
    dst = tmp_path / "dst.yaml"
    dst.write_bytes((RULES / "dst-skipped-or-repeated" / "bad.yaml").read_bytes())
    plain = tmp_path / "plain.yaml"
    plain.write_bytes(next((RULES / "overlapping-runs").glob("good*.yaml")).read_bytes())
    return dated, dst, plain


def _cache_hit(tmp_path: Path, target: Path, now: str, options) -> bool:
    reader = Cache(str(tmp_path / "cache"))
    reader.minute = now
    return reader.load(reader.probe(str(target), str(target), False, options), options) is not None


def test_a_dated_schedule_finding_is_kept_until_its_dates_move_and_a_cronjob_for_its_day(tmp_path: Path) -> None:
    """JC310 names the next runs: they read the same until the first of them, which the entry
    keeps as ``until``; JC311's DST dates hold until a change leaves or enters its year."""
    from jobcheck.cron.analysis import reference_minute

    options = build_options()
    dated, dst, plain = _cache_clock_fixtures(tmp_path)
    before = reference_minute(None)
    writer = Cache(str(tmp_path / "cache"))
    for target in (dated, dst, plain):
        run_mod.lint_cached(run_mod.Target(str(target)), options, writer)
    writer.save()
    after = reference_minute(None)
    entries = {slot[1:]: e for slot, e in _entries(tmp_path / "cache").items()}
    day = entries[str(plain)]["day"]
    assert all("minute" not in entries[str(t)] and entries[str(t)]["day"] == day for t in (dated, dst, plain))
    assert "until" not in entries[str(plain)]
    until = entries[str(dated)]["until"]
    assert until in {_first_run_minute(dated, before), _first_run_minute(dated, after)}
    assert entries[str(dst)]["until"] > before.strftime("%Y-%m-%dT%H:%M")

    written = before.strftime("%Y-%m-%dT%H:%M")
    last = min(_minute_after(until, -1), f"{day}T23:59")  # the last minute it is kept
    assert _cache_hit(tmp_path, dated, written, options) and _cache_hit(tmp_path, dated, last, options)
    assert not _cache_hit(tmp_path, dated, until, options)
    assert _cache_hit(tmp_path, plain, f"{day}T23:59", options)
    assert not _cache_hit(tmp_path, plain, "9999-12-31T00:00", options)

    # An ``until`` within the day it was written, whatever the clock was: kept before it, not from it.
    for pack in _packs(tmp_path / "cache"):
        text = pack.read_text()
        pack.write_text(text.replace(json.dumps(until), json.dumps(f"{day}T12:00")))
    assert _cache_hit(tmp_path, dated, f"{day}T11:59", options)
    assert not _cache_hit(tmp_path, dated, f"{day}T12:00", options)


def test_a_dated_finding_whose_rule_gives_no_hold_is_kept_for_its_minute(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(FileResult, "hold", lambda self, rid, until: None)  # as a rule that names no hold
    options = build_options()
    dated, _, plain = _cache_clock_fixtures(tmp_path)
    writer = Cache(str(tmp_path / "cache"))
    for target in (dated, plain):
        run_mod.lint_cached(run_mod.Target(str(target)), options, writer)
    writer.save()
    entries = {slot[1:]: e for slot, e in _entries(tmp_path / "cache").items()}
    minute = entries[str(dated)]["minute"]
    assert "until" not in entries[str(dated)] and entries[str(plain)].get("minute") is None
    assert _cache_hit(tmp_path, dated, minute, options)
    assert not _cache_hit(tmp_path, dated, _minute_after(minute), options)
    assert _cache_hit(tmp_path, plain, _minute_after(minute), options) or minute.endswith("T23:59")


def test_a_fixed_clock_is_part_of_the_key(tmp_path: Path) -> None:
    from datetime import datetime

    one, two = build_options(), build_options()
    one.now, two.now = datetime(2030, 1, 1), datetime(2031, 1, 1)
    assert settings_digest(one) != settings_digest(two)


def _long_stream(path: Path, documents: int) -> Path:
    """A stream of Jobs with a few findings each: more findings than one entry holds."""
    path.write_text("---\n".join(BAD_JOB.replace("name: bad", f"name: bad-{n}") for n in range(documents)))
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_long_stream_is_kept_in_a_stream_file_and_reported_as_fresh(tmp_path: Path, cache_home: Path,
                                                                      monkeypatch, jobs: str) -> None:
    """A file with more findings than ``MAX_CACHED_FINDINGS`` is not held whole: its findings go
    to a stream file as they come, and a warm run reads them back chunk by chunk."""
    monkeypatch.setattr(run_mod, "MAX_CACHED_FINDINGS", 10)
    stream = _long_stream(tmp_path / "stream.yaml", 30)
    small = tmp_path / "small.yaml"
    small.write_text(BAD_JOB)
    files = [str(stream), str(small)]
    for fmt in ("json", "text"):
        fresh = _lint("--format", fmt, "--no-cache", *files)
        cold = _lint("--format", fmt, "--jobs", jobs, *files)
        [entry] = [e for slot, e in _entries(cache_home).items() if slot[1:] == str(stream)]
        assert entry["stream"] and _numbers(entry)[1] == 0
        [spilled] = cache_home.rglob(entry["stream"] + ".jsonl")
        assert len(spilled.read_text().splitlines()) > 1  # written in chunks
        with monkeypatch.context() as patch:
            _forbid_linting(patch)
            warm = _lint("--format", fmt, "--jobs", jobs, *files)
        assert (cold.stdout, cold.exit_code) == (fresh.stdout, fresh.exit_code)
        assert (warm.stdout, warm.exit_code) == (fresh.stdout, fresh.exit_code)


def test_a_warm_json_run_over_a_long_stream_writes_nothing(tmp_path: Path, cache_home: Path, monkeypatch) -> None:
    """A spilled entry's findings are read from its stream file: the JSON text a warm run wrote for
    them is not kept (it would not be used), so the pack is not written again on every run."""
    monkeypatch.setattr(run_mod, "MAX_CACHED_FINDINGS", 10)
    monkeypatch.setattr(cache_mod, "RACY_NS", -(1 << 62))  # every stat trusted: nothing left to refresh
    stream = _long_stream(tmp_path / "stream.yaml", 30)
    fresh = _lint("--format", "json", "--no-cache", str(stream))
    _lint("--format", "json", str(stream))
    packs = _packs(cache_home)
    written = [(pack.stat().st_mtime_ns, pack.read_bytes()) for pack in packs]
    _forbid_linting(monkeypatch)
    for _ in range(2):
        warm = _lint("--format", "json", str(stream))
        assert (warm.stdout, warm.exit_code) == (fresh.stdout, fresh.exit_code)
    assert _packs(cache_home) == packs
    assert [(pack.stat().st_mtime_ns, pack.read_bytes()) for pack in packs] == written


@pytest.mark.parametrize("damage", ["missing", "truncated", "edited"])
def test_a_damaged_stream_file_is_a_miss(tmp_path: Path, cache_home: Path, monkeypatch, damage: str) -> None:
    monkeypatch.setattr(run_mod, "MAX_CACHED_FINDINGS", 10)
    stream = str(_long_stream(tmp_path / "stream.yaml", 30))
    fresh = _lint("--format", "json", "--no-cache", stream).stdout
    _lint(stream)
    [spilled] = cache_home.rglob("*.jsonl")
    text = spilled.read_text()
    if damage == "missing":
        spilled.unlink()
    else:
        spilled.write_text(text[: len(text) // 2] if damage == "truncated" else text.replace('"texts":[', '"texts":["x",'))
    assert _lint("--format", "json", stream).stdout == fresh
    [entry] = _entries(cache_home).values()
    assert (spilled.parent / (entry["stream"] + ".jsonl")).read_text() == text  # written again


def test_a_long_stream_that_fails_is_not_kept(tmp_path: Path, monkeypatch) -> None:
    """An internal error after some findings went to the stream file: nothing is kept, no file left."""
    monkeypatch.setattr(run_mod, "MAX_CACHED_FINDINGS", 10)
    stream = _long_stream(tmp_path / "stream.yaml", 30)
    cache = Cache(str(tmp_path / "cache"))
    real = run_mod.lint_input

    def failing(*args, **kwargs):
        outcome = real(*args, **kwargs)
        outcome.result.internal_error_count = 1
        return outcome

    monkeypatch.setattr(run_mod, "lint_input", failing)
    outcome = run_mod.lint_cached(run_mod.Target(str(stream)), build_options(), cache)
    cache.save()
    assert outcome.cached is None
    assert [p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()] == [".gitignore"]


# The pack's one table of texts (format 3, issue 13): entries index it directly, new texts are added
# at its end (entries on disk are written back as they were), and it is built again when it has
# grown too far or entries were dropped.


def _pack_data(cache_home: Path, file: Path) -> dict:
    return _read(_pack_holding(cache_home, str(file)))


def _all_entries(cache_home: Path) -> dict:
    return {slot: e for p in _packs(cache_home) for slot, e in _read(p)["entries"].items()}


def test_a_changed_file_adds_its_texts_and_leaves_the_other_entries_as_they_were(tree: Path, cache_home: Path) -> None:
    files = sorted(str(p) for p in tree.iterdir())
    fresh = _lint("--format", "json", "--no-cache", *files).stdout
    _lint(*files)
    bad = tree / "bad.yaml"
    before, before_all = _pack_data(cache_home, bad), _all_entries(cache_home)
    others = [p for p in _packs(cache_home) if p != _pack_holding(cache_home, str(bad))]
    untouched = [(p.stat().st_mtime_ns, p.read_bytes()) for p in others]
    bad.write_text(BAD_JOB.replace("name: bad", "name: worse"))
    _lint(*files)
    after, after_all = _pack_data(cache_home, bad), _all_entries(cache_home)
    assert after["texts"][: len(before["texts"])] == before["texts"]
    assert "worse" in " ".join(after["texts"][len(before["texts"]):])
    slot = f"0{bad}"
    assert {s: e for s, e in after_all.items() if s != slot} == {s: e for s, e in before_all.items() if s != slot}
    assert [(p.stat().st_mtime_ns, p.read_bytes()) for p in others] == untouched  # only its shard written
    bad.write_text(BAD_JOB)
    assert _lint("--format", "json", *files).stdout == fresh


def test_a_table_grown_past_its_slack_is_built_again_from_the_entries_in_use(tree: Path, cache_home: Path,
                                                                             monkeypatch) -> None:
    monkeypatch.setattr(cache_mod, "_TABLE_FLOOR", 1)
    files = sorted(str(p) for p in tree.iterdir())
    fresh = _lint("--format", "json", "--no-cache", *files).stdout
    _lint(*files)
    bad = tree / "bad.yaml"
    first = _pack_data(cache_home, bad)
    for n in range(len(first["texts"]) + 2):  # each change leaves one text no entry uses any more
        bad.write_text(BAD_JOB.replace("name: bad", f"name: bad-{n}"))
        _lint(*files)
        data = _pack_data(cache_home, bad)
        assert len(data["texts"]) <= 2 * max(data["built"], 1)
    assert data["built"] < len(first["texts"]) + len(first["texts"]) + 2  # it was built again at least once
    assert not any("bad-0" in t for t in data["texts"])
    bad.write_text(BAD_JOB)
    assert _lint("--format", "json", *files).stdout == fresh


def test_entries_refreshed_while_another_run_rewrote_the_pack_are_renumbered(tmp_path: Path) -> None:
    target, _ = _stored(tmp_path)
    options = build_options()
    first = _reader(tmp_path)
    expected = first.load(first.probe(str(target), str(target), False, options), options)
    reader = _reader(tmp_path)
    os.utime(target, ns=(0, 10**18))  # same bytes, a new stat: the entry is refreshed
    probe = reader.probe(str(target), str(target), False, options)
    assert reader.load(probe, options) is not None
    # Meanwhile another run writes the pack with its table in another order.
    [pack] = _packs(tmp_path / "cache")
    data = _read(pack)
    order = list(reversed(range(len(data["texts"]))))
    moved = {old: new for new, old in enumerate(order)}
    def move(numbers: list[int], texts: range, nullable: range) -> None:
        for k in texts:
            numbers[k] = moved[numbers[k]]
        for k in nullable:
            numbers[k] = numbers[k] and moved[numbers[k] - 1] + 1  # 0 (null) stays

    entries = {slot: _with_numbers(entry, move) for slot, entry in data["entries"].items()}
    pack.write_text(_text({**data, "entries": entries, "texts": [data["texts"][n] for n in order]}))
    reader.save()
    again = _reader(tmp_path)
    result = again.load(again.probe(str(target), str(target), False, options), options)
    assert result is not None and expected is not None
    def findings(stored: cache_mod.Stored) -> list:
        return [f for columns in stored.chunks for f in columns.findings()]

    assert findings(result) == findings(expected) and findings(result)


def test_a_probe_made_by_another_cache_object_is_a_miss_not_an_error(tmp_path: Path) -> None:
    # A --jobs worker gets the parent's probe of a file whose entry did not read back.
    target, _ = _stored(tmp_path)
    options = build_options()
    probe = _reader(tmp_path).probe(str(target), str(target), False, options)
    assert probe is not None and probe.entry is not None
    assert _reader(tmp_path).load(probe, options) is None


def test_a_run_over_one_file_reads_only_the_pack_of_its_shard(tree: Path, cache_home: Path, monkeypatch) -> None:
    files = sorted(str(p) for p in tree.iterdir())
    _lint(*files)
    assert len(_packs(cache_home)) > 1
    read = []
    real = cache_mod._read_pack
    monkeypatch.setattr(cache_mod, "_read_pack", lambda path, settings: read.append(path) or real(path, settings))
    one = str(tree / "bad.yaml")
    _lint(one)
    assert read == [str(_pack_holding(cache_home, one))]
