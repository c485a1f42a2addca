#!/usr/bin/env python3
"""Time jobcheck against a PyYAML-C parse baseline and kubernetes-validate on one corpus.

    python bench/gen_corpus.py --out /tmp/corpus && python bench/run.py /tmp/corpus

Every command runs as a fresh subprocess (interpreter start included, as a CLI run is), with
stdout to /dev/null; wall time, CPU time and peak RSS come from ``os.wait4`` for that one child.
The repetitions of the main commands are interleaved (A B C, A B C, ...) so drift on the machine
spreads evenly. See bench/README.md for what each row means and the targets.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402

SUFFIXES = (".yaml", ".yml", ".json")  # what `jobcheck lint DIR` picks up
TARGET_RATIO, STRETCH_RATIO, TARGET_KV_SPEEDUP = 3.0, 2.0, 20.0

# The baseline: parse every manifest file under the given paths with PyYAML's C loader, nothing else.
BASELINE = r"""
import os, sys, yaml
n = 0
def parse(path):
    global n
    with open(path, "rb") as fh:
        try:  # a real-world corpus holds files PyYAML refuses: count what it read, go on
            for doc in yaml.load_all(fh.read(), Loader=yaml.CSafeLoader):
                if doc is not None:
                    n += 1
        except yaml.YAMLError:
            pass
for root in sys.argv[1:]:
    if os.path.isfile(root):
        parse(root)
        continue
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith((".yaml", ".yml", ".json")):
                parse(os.path.join(d, name))
print(n)
"""


@dataclass
class Run:
    wall: float
    cpu: float  # user + system of the child and its waited-for children
    maxrss_kb: int
    rc: int
    stderr: str


@dataclass
class Series:
    name: str
    command: list[str]
    docs: int
    runs: list[Run] = field(default_factory=list)
    note: str = ""
    env: dict | None = None  # None: the run's common environment
    cwd: str = REPO
    jobcheck: bool = False  # a jobcheck row (gets the kubernetes-validate speed-up column)

    @property
    def walls(self) -> list[float]:
        return [r.wall for r in self.runs]

    def summary(self) -> dict:
        w = self.walls
        med = statistics.median(w)
        return {
            "name": self.name,
            "command": " ".join(self.command),
            "docs": self.docs,
            "reps": len(w),
            "wall_median_s": round(med, 4),
            "wall_min_s": round(min(w), 4),
            "wall_max_s": round(max(w), 4),
            "walls_s": [round(x, 4) for x in w],  # in repetition order, for paired ratios
            "cpu_median_s": round(statistics.median(r.cpu for r in self.runs), 4),
            "cpus_s": [round(r.cpu, 4) for r in self.runs],  # in repetition order, for paired ratios
            "maxrss_mb": round(max(r.maxrss_kb for r in self.runs) / 1024, 1),
            "docs_per_s": round(self.docs / med, 1),
            "ms_per_doc": round(1000 * med / self.docs, 4),
            "exit_codes": sorted({r.rc for r in self.runs}),
            "note": self.note,
            "jobcheck": self.jobcheck,
        }


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# Measurements happen in a tiny launcher interpreter, not in this process: a forked child starts with
# its parent's peak RSS as its own, so ru_maxrss of a child forked from this (larger) process would
# be floored at our size. The launcher is ~10 MB; it times fork-to-reap and reads wait4's rusage.
LAUNCHER = r"""
import json, os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(out, "w") as fh:
    json.dump({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss,
               "rc": os.waitstatus_to_exitcode(status)}, fh)
"""


def run_once(cmd: list[str], env: dict | None = None, stdout=subprocess.DEVNULL, cwd: str = REPO) -> Run:
    """Run ``cmd`` to completion in ``cwd``: wall clock from fork to reap, rusage of that child only."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r", suffix=".json") as res:
        subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, res.name, *cmd],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=err,
            env=env,
            cwd=cwd,
            check=False,
        )
        m = json.load(res)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(m["wall"], m["cpu"], m["maxrss_kb"], m["rc"], text)


def bench_env(root: str = REPO) -> dict:
    """The environment for every measured command (jobcheck, the baseline, ``python -c pass``),
    with the checkout at ``root`` first on ``PYTHONPATH``.

    Byte-code caching is forced on, into a directory of its own: an installed CLI runs from
    .pyc files, and PYTHONDONTWRITEBYTECODE (set in some sandboxes) would otherwise make every
    run recompile jobcheck, click and jsonschema, which is not what users see. The prefix keeps
    the caches out of the source tree.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    for name in (
        "JOBCHECK_DEBUG",
        "JOBCHECK_PURE_YAML",
        "JOBCHECK_YAML_PARSER",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONPROFILEIMPORTTIME",
    ):
        env.pop(name, None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "jobcheck-bench-pycache")
    env["NO_COLOR"] = "1"
    # The result cache (issue 13) never lands in the tree or the corpus; rows pass --no-cache (no_cache()).
    env["JOBCHECK_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), "jobcheck-bench-cache")
    if root != REPO:
        env.update(BASELINE_ENV)
    return env


# --baseline-env NAME=VALUE: set for the --baseline-checkout rows only (e.g. JOBCHECK_YAML_PARSER=ruamel
# with a second worktree of the same commit, to time one parser against another).
BASELINE_ENV: dict[str, str] = {}


def code_state(root: str = REPO) -> dict:
    """Which jobcheck was measured: HEAD, and a digest of the package, rules and schemas as on disk
    (the checkout is shared and may change under a run; a changed digest flags that)."""
    import hashlib

    digest = hashlib.sha256()
    for top in ("jobcheck", "rules", "schemas"):
        for d, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(x for x in dirs if x != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(d, name)
                digest.update(os.path.relpath(path, root).encode() + b"\0")
                with open(path, "rb") as fh:
                    digest.update(fh.read())
    try:
        head = subprocess.run(
            ["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        head = ""
    return {"head": head, "tree_digest": digest.hexdigest()[:16]}


def load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def corpus_files(root: str) -> list[str]:
    if os.path.isfile(root):
        return [root]
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        out.extend(
            os.path.join(d, n)
            for n in sorted(files)
            if not n.startswith(".") and n.lower().endswith(SUFFIXES)
        )
    return out


def doc_counts(root: str, use_manifest: bool = True) -> dict[str, int]:
    """Documents per file: from the generator's manifest, or by parsing with PyYAML."""
    manifest = os.path.join(root, gen_corpus.MANIFEST_NAME)
    if use_manifest and os.path.isdir(root) and os.path.exists(manifest):
        with open(manifest, encoding="utf-8") as fh:
            m = json.load(fh)
        return {os.path.join(root, *f["path"].split("/")): f["docs"] for f in m["files"]}
    import yaml  # only for a corpus that did not come from gen_corpus.py

    counts = {}
    for path in corpus_files(root):
        with open(path, "rb") as fh:
            n = 0
            try:  # as BASELINE: what PyYAML reads before an error
                for d in yaml.load_all(fh.read(), Loader=yaml.CSafeLoader):
                    n += d is not None
            except yaml.YAMLError:
                pass
            counts[path] = n
    return counts


# ---------------------------------------------------------------------------------------------


def check_jobcheck(
    cmd: list[str], env: dict, expect_docs: int | None, expect_files: int | None, cwd: str = REPO
) -> tuple[bool, str, dict]:
    """One untimed run that captures the JSON report: did it finish and see every document?
    ``expect_docs`` None: a corpus not written by gen_corpus.py, whose files jobcheck may count
    differently from PyYAML (ignored paths, empty documents): only the exit is checked."""
    with tempfile.TemporaryFile() as out:
        r = run_once(cmd, env, stdout=out, cwd=cwd)
        out.seek(0)
        raw = out.read()
    info: dict = {"rc": r.rc, "wall_s": round(r.wall, 3)}
    tail = "\n".join(r.stderr.strip().splitlines()[-12:])
    if r.rc not in (0, 1) or "Traceback" in r.stderr:
        return False, f"exit code {r.rc}; stderr ends:\n{tail}", info
    try:
        report = json.loads(raw)
    except ValueError as exc:
        return False, f"stdout is not JSON ({exc}); stderr ends:\n{tail}", info
    summary = report.get("summary", {})
    by_rule: dict[str, int] = {}
    for f in report.get("findings", []):
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
    info.update(summary=summary, findings_by_rule=dict(sorted(by_rule.items())))
    internal = [line for line in r.stderr.splitlines() if "internal error" in line]
    info["internal_errors"] = len(internal)
    if expect_docs is not None and (summary.get("documents") != expect_docs or summary.get("files") != expect_files):
        return (
            False,
            f"report saw {summary.get('files')} files / {summary.get('documents')} documents, "
            f"expected {expect_files} / {expect_docs}",
            info,
        )
    if internal:
        return True, f"{len(internal)} internal errors, e.g. {internal[0][:300]}", info
    return True, "", info


def time_series(series: list[Series], reps: int, env: dict) -> None:
    for rep in range(reps):
        for s in series:
            r = run_once(s.command, s.env or env, cwd=s.cwd)
            s.runs.append(r)
            log(f"  rep {rep + 1}/{reps} {s.name:<22} {r.wall:8.3f} s  rc={r.rc}")


def kv_bench(args, files: dict[str, int], total_docs: int) -> dict:
    exe = shutil.which(
        "kubernetes-validate", path=os.path.dirname(args.python) + os.pathsep + os.environ["PATH"]
    )
    if exe is None:
        return {"skipped": "kubernetes-validate not found"}
    base = [exe, "--strict", "-k", args.kv_version, "--quiet"]
    ordered = sorted(files)
    if args.kv_full:
        subset, n = ordered, total_docs
    else:
        subset, n = [], 0
        for path in ordered:  # whole files in walk order until the subset holds --kv-docs documents
            if n >= args.kv_docs:
                break
            subset.append(path)
            n += files[path]
    reps = args.kv_reps
    log(f"kubernetes-validate on {n} documents ({len(subset)} files), {reps} reps")
    s = Series("kubernetes-validate", base + subset, n)
    time_series([s], reps, bench_env())
    result = {"version": args.kv_version, "measured": s.summary(), "extrapolated": not args.kv_full}
    result["measured"]["command"] = " ".join(base) + f" <{len(subset)} files>"
    if args.kv_full:
        result["per_doc_ms"] = s.summary()["ms_per_doc"]
        result["full_corpus_s"] = s.summary()["wall_median_s"]
        return result
    # Start-up plus the first document (schema load), then the marginal cost per further document.
    single = next((p for p in ordered if files[p] == 1), None)
    if single is not None and n > 1:
        one = Series("kubernetes-validate-1doc", base + [single], 1)
        time_series([one], reps, bench_env())
        t1 = one.summary()["wall_median_s"]
        marginal = max(0.0, (s.summary()["wall_median_s"] - t1) / (n - 1))
        full = t1 + marginal * (total_docs - 1)
        result.update(startup_and_first_doc_s=round(t1, 4), marginal_ms_per_doc=round(1000 * marginal, 4))
    else:
        full = s.summary()["wall_median_s"] / n * total_docs
    result["full_corpus_s"] = round(full, 3)
    result["per_doc_ms"] = round(1000 * full / total_docs, 4)
    return result


def startup_bench(args, env: dict, tmp: str, other: str | None = None) -> dict:
    """Fixed cost as a pre-commit hook pays it: jobcheck on 1 and on 10 small one-document files,
    next to ``python -c pass``, yamllint on the same files (when installed) and, with
    --baseline-checkout, the other checkout's jobcheck; all interleaved, medians."""
    small_dir = os.path.join(tmp, "small")
    gen_corpus.write(small_dir, gen_corpus.generate(10, 10, args.seed), {"docs": 10})
    smalls = corpus_files(small_dir)
    lint = [args.python, "-m", "jobcheck", "lint"]
    rows: list[tuple[Series, dict, str]] = [(Series("python -c pass", [args.python, "-c", "pass"], 1), env, REPO)]
    for n, files in (("1 file", smalls[:1]), ("10 files", smalls)):
        rows.append((Series(f"jobcheck lint {n}", lint + files + no_cache() + args.lint_arg, len(files)), env, REPO))
        if other is not None:
            label = args.baseline_label
            rows.append((Series(f"{label} lint {n}", lint + files + no_cache(other) + args.lint_arg, len(files)), bench_env(other), other))
        if "yamllint" not in args.skip and _has_module(args.python, "yamllint", env):
            rows.append((Series(f"yamllint {n}", [args.python, "-m", "yamllint", *files], len(files)), env, REPO))
    for s, e, cwd in rows:
        run_once(s.command, e, cwd=cwd)  # warm the .pyc and page caches
    for _ in range(args.startup_runs):
        for s, e, cwd in rows:
            s.runs.append(run_once(s.command, e, cwd=cwd))
    out = {s.name: s.summary() for s, _, _ in rows}
    bare = out["python -c pass"]["wall_median_s"]
    out["overhead_ms"] = round(1000 * (out["jobcheck lint 1 file"]["wall_median_s"] - bare), 1)
    out["overhead_cpu_ms"] = round(
        1000 * (out["jobcheck lint 1 file"]["cpu_median_s"] - out["python -c pass"]["cpu_median_s"]), 1)
    out["overheads_ms"] = {name: round(1000 * (r["wall_median_s"] - bare), 1) for name, r in out.items()
                           if isinstance(r, dict) and name != "python -c pass"}
    bad = [r for s, _, _ in rows if s.name.startswith("jobcheck") for r in s.runs if r.rc not in (0, 1)]
    if bad:
        out["error"] = f"exit code {bad[0].rc}: {bad[0].stderr.strip().splitlines()[-1:]}"
    return out


def _has_module(python: str, name: str, env: dict) -> bool:
    probe = subprocess.run([python, "-c", f"import {name}"], env=env, capture_output=True, check=False)
    return probe.returncode == 0


MEM_MODES = ("no-cache", "first run", "warm")  # the result cache off, filled by the run, read back


def memory_bench(args, env: dict, tmp: str, other: str | None = None) -> dict:
    """Peak RSS of ``jobcheck lint`` on one single-stream file per size, in each of ``MEM_MODES``
    (the first run starts from an empty cache, the warm one reads what it wrote), for this checkout
    and the ``--baseline-checkout`` side by side, the medians of ``--mem-reps`` interleaved runs;
    and PyYAML-C's parse of the file. "flat": each mode of this checkout within 10 % from the
    smallest size to the largest."""
    out: dict = {}
    checkouts = [("jobcheck", REPO, env)] + ([(args.baseline_label, other, bench_env(other))] if other else [])
    for n in args.mem_docs:
        d = os.path.join(tmp, f"stream{n}")
        gen_corpus.write(d, gen_corpus.generate(n, 1, args.seed, single_stream=True), {"docs": n})
        path = os.path.join(d, gen_corpus.STREAM_NAME)
        lint = [args.python, "-m", "jobcheck", "lint", path, "--jobs", "1", "--format", "json", "-q"] + args.lint_arg
        peaks: dict[str, dict[str, list[float]]] = {label: {m: [] for m in MEM_MODES} for label, _, _ in checkouts}
        problems = []
        for rep in range(args.mem_reps):
            for label, checkout, cmd_env in checkouts:
                cached = no_cache(checkout) == ["--no-cache"]
                run_env = dict(cmd_env, JOBCHECK_CACHE_DIR=os.path.join(tmp, f"memcache-{n}-{rep}-{label}"))
                for mode in MEM_MODES if cached else MEM_MODES[:1]:
                    r = run_once(lint + (["--no-cache"] if mode == "no-cache" and cached else []), run_env, cwd=checkout)
                    if r.rc not in (0, 1):
                        problems.append(f"{label} {mode}: exit code {r.rc}: {r.stderr.strip().splitlines()[-1:]}")
                    peaks[label][mode].append(r.maxrss_kb / 1024)
                shutil.rmtree(run_env["JOBCHECK_CACHE_DIR"], ignore_errors=True)
        base = run_once([args.python, "-c", BASELINE, path], env)
        row = out[str(n)] = {"bytes": os.path.getsize(path), "baseline_maxrss_mb": round(base.maxrss_kb / 1024, 1)}
        for label, _, _ in checkouts:
            for mode, values in peaks[label].items():
                if values:
                    row[f"{label} {mode} maxrss_mb"] = round(statistics.median(values), 1)
        row["jobcheck_maxrss_mb"] = row["jobcheck no-cache maxrss_mb"]
        if problems:
            row["error"] = problems[:3]
        log(f"  memory {n} docs: " + ", ".join(f"{k.removesuffix(' maxrss_mb')} {v} MB" for k, v in row.items()
                                                  if k.endswith("maxrss_mb") and " " in k)
            + f", PyYAML {row['baseline_maxrss_mb']} MB")
    lo, hi = (str(n) for n in (min(args.mem_docs), max(args.mem_docs)))
    if lo != hi:
        a, b = out[lo]["jobcheck_maxrss_mb"], out[hi]["jobcheck_maxrss_mb"]
        out["growth_mb"] = round(b - a, 1)
        out["growth_kb_per_doc"] = round(1024 * (b - a) / (int(hi) - int(lo)), 2)
        # "flat": within 10% (allocator noise, caches); anything more grows with the stream.
        growth = {m: out[hi][f"jobcheck {m} maxrss_mb"] / out[lo][f"jobcheck {m} maxrss_mb"] - 1
                  for m in MEM_MODES if f"jobcheck {m} maxrss_mb" in out[lo]}
        out["growth_by_mode"] = {m: round(100 * g, 1) for m, g in growth.items()}
        out["flat"] = all(g <= 0.10 for g in growth.values())
    return out


# ---------------------------------------------------------------------------------------------


def fmt_range(s: dict) -> str:
    return f"{s['wall_median_s']:8.3f} ({s['wall_min_s']:.3f}-{s['wall_max_s']:.3f})"


def busy(res: dict) -> bool:
    cpus = res["machine"]["cpus"] or 1
    loads = [x[0] for x in (res.get("load_average_start"), res.get("load_average_end")) if x]
    return any(x > 0.5 * cpus for x in loads)


def render_table(res: dict) -> str:
    c = res["corpus"]
    lines = [
        f"jobcheck benchmark  {res['date']}  {res['machine']['cpus']} CPUs  Python {res['machine']['python']}",
        f"corpus: {c['path']}  {c['documents']} documents in {c['files']} files, {c['bytes'] / 1e6:.1f} MB"
        f"  (reps: {res['reps']}, median with min-max)",
        f"jobcheck {res['code_start']['head']} (tree {res['code_start']['tree_digest']})"
        + (
            f"; {other['label']}: {other['path']} {other['code_start']['head']}"
            f" (tree {other['code_start']['tree_digest']})"
            if (other := res.get("baseline_checkout"))
            else ""
        ),
        f"load average (1/5/15 min) at start {res.get('load_average_start')}, at end {res.get('load_average_end')}"
        + ("  -- BUSY MACHINE: wall times are inflated, compare CPU s" if busy(res) else ""),
        "",
        f"{'':<30}{'wall s median (min-max)':>28}{'CPU s':>8}{'docs/s':>10}{'ms/doc':>9}"
        f"{'x PyYAML':>10}{'CPU x':>7}{'vs k-v':>9}{'RSS MB':>8}",
    ]
    base = res["series"].get("pyyaml-c-baseline")
    kv = res.get("kubernetes_validate", {})
    kv_ms = kv.get("per_doc_ms")
    for name, s in res["series"].items():
        ratio = f"{s['wall_median_s'] / base['wall_median_s']:.2f}x" if base else "-"
        cpu_ratio = f"{s['cpu_median_s'] / base['cpu_median_s']:.2f}x" if base else "-"
        speed = f"{kv_ms / s['ms_per_doc']:.1f}x" if kv_ms and s.get("jobcheck") else "-"
        lines.append(
            f"{name:<30}{fmt_range(s):>28}{s['cpu_median_s']:8.2f}{s['docs_per_s']:10.0f}"
            f"{s['ms_per_doc']:9.3f}{ratio:>10}{cpu_ratio:>7}{speed:>9}{s['maxrss_mb']:8.1f}"
        )
    if "measured" in kv:
        m = kv["measured"]
        label = "kubernetes-validate" + (" *" if kv["extrapolated"] else "")
        docs_s = 1000 / kv_ms
        ratio = f"{kv['full_corpus_s'] / base['wall_median_s']:.1f}x" if base else "-"
        lines.append(
            f"{label:<30}{kv['full_corpus_s']:>28.1f}{'':>8}{docs_s:10.0f}{kv_ms:9.3f}{ratio:>10}{'':>7}{'1.0x':>9}"
            f"{m['maxrss_mb']:8.1f}"
        )
        if kv["extrapolated"]:
            lines.append(
                f"  * EXTRAPOLATED to {c['documents']} docs from {m['docs']} docs "
                f"(measured {fmt_range(m).strip()} s"
                + (
                    f"; start-up + first doc {kv['startup_and_first_doc_s']:.2f} s, "
                    f"then {kv['marginal_ms_per_doc']:.2f} ms/doc"
                    if "marginal_ms_per_doc" in kv
                    else ""
                )
                + "); --kv-full measures it all"
            )
    elif kv:
        lines.append(f"kubernetes-validate: {kv.get('skipped')}")
    for name, problem in res.get("problems", {}).items():
        lines.append(f"  ! {name}: {problem}")
    sbs = res.get("side_by_side")
    if sbs:
        lines += [
            "",
            f"side by side with {res['baseline_checkout']['label']} (ratios of median wall times, then paired per repetition):",
        ]
        for k, v in sbs.items():
            lines.append(f"  {k:<44} {v}")
    st = res.get("startup")
    if st:
        a = st["python -c pass"]
        lines += [
            "",
            f"start-up (median of {a['reps']}, interleaved): python -c pass {1000 * a['wall_median_s']:.0f} ms "
            f"(CPU {1000 * a['cpu_median_s']:.0f} ms); each row's wall and CPU ms, and its wall over python -c pass:",
        ]
        for name, over in st.get("overheads_ms", {"jobcheck lint 1 file": st["overhead_ms"]}).items():
            r = st[name]
            lines.append(
                f"  {name:<28} {1000 * r['wall_median_s']:6.0f} ms (min {1000 * r['wall_min_s']:.0f}, "
                f"max {1000 * r['wall_max_s']:.0f})  CPU {1000 * r['cpu_median_s']:5.0f} ms  overhead {over:5.0f} ms"
                f" (CPU {1000 * (r['cpu_median_s'] - a['cpu_median_s']):4.0f} ms)"
            )
        for n in ("1 file", "10 files"):
            ours, yl = st.get(f"jobcheck lint {n}"), st.get(f"yamllint {n}")
            if ours and yl:
                lines.append(
                    f"  jobcheck / yamllint on {n}: {ours['wall_median_s'] / yl['wall_median_s']:.2f}x wall, "
                    f"paired {paired(ours, yl)}; CPU {ours['cpu_median_s'] / yl['cpu_median_s']:.2f}x"
                )
        if st.get("error"):
            lines.append(f"  ! start-up run failed: {st['error']}")
    mem = res.get("memory")
    if mem:
        sizes = [k for k in mem if k.isdigit()]
        rows = sorted({k.removesuffix(" maxrss_mb") for n in sizes for k in mem[n]
                       if k.endswith(" maxrss_mb")}, key=lambda r: (not r.startswith("jobcheck "), r))
        lines += ["", "peak RSS (MB, medians), one single-stream file of " + " / ".join(sizes) + " documents:"]
        for r in rows:
            lines.append(f"  {r:<28} " + " / ".join(f"{mem[n].get(r + ' maxrss_mb', float('nan')):.1f}" for n in sizes))
        lines.append(f"  {'PyYAML-C parse':<28} " + " / ".join(f"{mem[n]['baseline_maxrss_mb']:.1f}" for n in sizes))
        if "flat" in mem:
            lines.append(
                "  growth " + ", ".join(f"{m} {g:+.1f} %" for m, g in mem.get("growth_by_mode", {}).items()) + ": "
                + ("flat (OK)" if mem["flat"] else "GROWS with documents per stream (target: flat, within 10 %)")
            )
    t = res.get("targets", {})
    if t:
        lines += ["", "targets:"]
        for k, v in t.items():
            lines.append(f"  {k:<44} {v}")
    return "\n".join(lines) + "\n"


def paired(a: dict, b: dict, key: str = "walls_s") -> str:
    """Median and range of a's wall (or, with key="cpus_s", CPU) time over b's, repetition by
    repetition: the two ran seconds apart, so a drift of the machine's speed cancels out of each ratio."""
    ratios = sorted(x / y for x, y in zip(a[key], b[key], strict=True))
    return f"{statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f})"


def side_by_side(res: dict) -> dict:
    """This checkout against --baseline-checkout, row by row, and --jobs 2's speed-up over --jobs 1 in each.

    Each line gives the ratio of the medians, then the median and range of the per-repetition ratios."""
    label = res["baseline_checkout"]["label"]
    rows = res["series"]
    out = {}
    for jobs in ("1", "2"):
        ours, theirs = rows.get(f"jobcheck --jobs {jobs}"), rows.get(f"{label} --jobs {jobs}")
        if ours and theirs:
            r = ours["wall_median_s"] / theirs["wall_median_s"]
            out[f"--jobs {jobs}: jobcheck / {label}"] = (
                f"{r:.2f}x  ({ours['wall_median_s']:.3f} s vs {theirs['wall_median_s']:.3f} s); "
                f"paired {paired(ours, theirs)}; CPU {ours['cpu_median_s'] / theirs['cpu_median_s']:.2f}x"
            )
    for name in ("jobcheck", label):
        one, two = rows.get(f"{name} --jobs 1"), rows.get(f"{name} --jobs 2")
        if one and two:
            out[f"{name}: --jobs 1 / --jobs 2"] = (
                f"{one['wall_median_s'] / two['wall_median_s']:.2f}x faster with 2; paired {paired(one, two)}"
            )
    return out


def targets(res: dict) -> dict:
    out = {}
    base = res["series"].get("pyyaml-c-baseline")
    j1 = res["series"].get("jobcheck --jobs 1")
    kv = res.get("kubernetes_validate", {})
    if base and j1:
        r = j1["wall_median_s"] / base["wall_median_s"]
        verdict = "stretch met" if r <= STRETCH_RATIO else "met" if r <= TARGET_RATIO else "MISSED"
        out["jobcheck --jobs 1 / PyYAML-C <= 3x (2x)"] = (
            f"{r:.2f}x  {verdict}  (by CPU time: {j1['cpu_median_s'] / base['cpu_median_s']:.2f}x)"
        )
    j2 = res["series"].get("jobcheck --jobs 2")
    if base and j2:
        r = j2["wall_median_s"] / base["wall_median_s"]
        verdict = "stretch met" if r <= STRETCH_RATIO else "met" if r <= TARGET_RATIO else "MISSED"
        out["jobcheck --jobs 2 / PyYAML-C <= 3x (2x)"] = f"{r:.2f}x  {verdict}"
    if base and j1 and res.get("target_ratio"):
        r = j1["cpu_median_s"] / base["cpu_median_s"]
        goal = res["target_ratio"]
        out[f"issue 13: --jobs 1 / PyYAML-C <= {goal:g}x (CPU)"] = (
            f"{r:.2f}x  {'met' if r <= goal else 'MISSED'}  (paired CPU {paired(j1, base, 'cpus_s')})"
        )
    if j1 and kv.get("per_doc_ms"):
        sp = kv["per_doc_ms"] / j1["ms_per_doc"]
        out["speed-up over kubernetes-validate >= 20x"] = (
            f"{sp:.1f}x  {'met' if sp >= TARGET_KV_SPEEDUP else 'MISSED'}"
            + (" (k-v extrapolated)" if kv["extrapolated"] else "")
        )
    st = res.get("startup", {})
    if "overhead_ms" in st:
        out["start-up: 1 small file <= 60 ms over python -c pass"] = (
            f"{st['overhead_ms']:.0f} ms  {'met' if st['overhead_ms'] <= 60 else 'MISSED'}"
        )
    if "overhead_cpu_ms" in st:  # the figure to read on a busy machine
        out["start-up: ... by CPU time (user+sys)"] = (
            f"{st['overhead_cpu_ms']:.0f} ms  {'met' if st['overhead_cpu_ms'] <= 60 else 'MISSED'}"
        )
    for n in ("1 file", "10 files"):
        ours, yl = st.get(f"jobcheck lint {n}"), st.get(f"yamllint {n}")
        if ours and yl:
            r = ours["wall_median_s"] / yl["wall_median_s"]
            c = ours["cpu_median_s"] / yl["cpu_median_s"]
            out[f"start-up: faster than yamllint on {n}"] = (
                f"{r:.2f}x  {'met' if r < 1 else 'MISSED'}  (by CPU time: {c:.2f}x)")
    t, j = res["series"].get("jobcheck --jobs 1 text"), res["series"].get("jobcheck --jobs 1")
    if t and j:
        r = t["cpu_median_s"] / j["cpu_median_s"]
        out["text output no slower than JSON (CPU)"] = f"{r:.2f}x  {'met' if r <= 1.02 else 'MISSED'}"
    mem = res.get("memory", {})
    if "flat" in mem:
        out["peak RSS flat in documents per stream"] = (
            "met" if mem["flat"] else f"MISSED ({', '.join(f'{m} {g:+.1f} %' for m, g in mem['growth_by_mode'].items())})"
        )
    return out


# --- The result cache and --jobs (issue 13, targets 3 and 4) ---------------------------------------

CACHE_TARGET = 0.10  # a warm re-run costs at most this share of the cold run
FIRST_RUN_TARGET = 0.10  # the first run with an empty cache costs at most this much over the cold run
JOBS_TARGET = 1.6  # --jobs 2 at least this much faster than --jobs 1 on two free cores


def no_cache(checkout: str = REPO) -> list[str]:
    """``--no-cache`` for a jobcheck that has the result cache (the timed rows measure cold runs),
    nothing for an older checkout, which would refuse the option."""
    return ["--no-cache"] if os.path.isfile(os.path.join(checkout, "jobcheck", "cache.py")) else []


PRE_COMMIT = "1 file (pre-commit)"


def cache_bench(args, env: dict, root: str, tmp: str, other: str | None = None) -> dict:
    """The result cache on a copy of the corpus, interleaved rep by rep: a cold run (--no-cache),
    the first run with an empty cache (what writing the entries costs), a warm re-run (--jobs 1 and
    2) and a re-run after one file changed. The cache lives in ``tmp``. With ``other`` (the
    baseline checkout, when it has a cache), the same rows of that checkout run in the same loop,
    each checkout with a cache directory of its own ("base ..." rows)."""
    if not no_cache():
        return {"error": "this checkout has no result cache"}
    corpus = os.path.join(tmp, "cache-corpus")
    shutil.copytree(root, corpus)
    checkouts = [("", REPO, env, os.path.join(tmp, "cache"))]
    if other and no_cache(other):
        checkouts.append(("base ", other, bench_env(other), os.path.join(tmp, "cache-base")))
    lint = [args.python, "-m", "jobcheck", "lint", corpus, "--format", "json", "-q"] + args.lint_arg
    steps = {
        "cold --no-cache": ["--jobs", "1", "--no-cache"],
        "first run (empty cache)": ["--jobs", "1"],
        "warm re-run": ["--jobs", "1"],
        "warm re-run --jobs 2": ["--jobs", "2"],
        "one file changed": ["--jobs", "1"],
    }
    series: dict[str, Series] = {}
    caches: dict[str, str] = {}
    files = sorted(corpus_files(corpus))
    touched = files[len(files) // 2]
    # A pre-commit run over one unchanged file of the tree, its cache holding the whole tree (the rows
    # before fill it): what a hook pays when the cache is large (only that file's pack is read).
    alone = [args.python, "-m", "jobcheck", "lint", files[len(files) // 3], "--format", "json", "-q"] + args.lint_arg
    for label, checkout, cenv, cache in checkouts:
        for step, extra in steps.items():
            name = label + step
            series[name] = Series(name, lint + extra, 0, env={**cenv, "JOBCHECK_CACHE_DIR": cache}, cwd=checkout)
            caches[name] = cache
        name = label + PRE_COMMIT
        series[name] = Series(name, alone, 0, env={**cenv, "JOBCHECK_CACHE_DIR": cache}, cwd=checkout)
        caches[name] = cache
    same = {}
    for name, s in series.items():  # untimed: every row must give the cold run's report
        if name.endswith("first run (empty cache)"):
            shutil.rmtree(caches[name], ignore_errors=True)
        with tempfile.TemporaryFile() as out:
            run_once(s.command, s.env, stdout=out, cwd=s.cwd)
            out.seek(0)
            same[name] = out.read()
    out: dict = {"identical_reports": all(v == same["cold --no-cache"] for k, v in same.items()
                                          if not k.endswith(PRE_COMMIT))}
    # Files older than a couple of seconds, as in a repository (a stat that recent is not trusted).
    time.sleep(3)
    for rep in range(args.reps):
        for name, s in series.items():
            if name.endswith("first run (empty cache)"):
                shutil.rmtree(caches[name], ignore_errors=True)
            if name.endswith("one file changed"):
                with open(touched, "a", encoding="utf-8") as fh:
                    fh.write(f"# changed {rep}\n")
            r = run_once(s.command, s.env, cwd=s.cwd)
            s.runs.append(r)
            log(f"  rep {rep + 1}/{args.reps} cache: {name:<31} {r.wall:8.3f} s  cpu {r.cpu:.3f} s  rc={r.rc}")
    for label, _, _, cache in checkouts:
        cold = statistics.median(r.cpu for r in series[label + "cold --no-cache"].runs)
        cold_wall = statistics.median(series[label + "cold --no-cache"].walls)
        for step in (*steps, PRE_COMMIT):
            s = series[label + step]
            cpu = statistics.median(r.cpu for r in s.runs)
            wall = statistics.median(s.walls)
            out[label + step] = {"wall_median_s": round(wall, 4), "cpu_median_s": round(cpu, 4),
                                 "wall_vs_cold": round(wall / cold_wall, 3), "cpu_vs_cold": round(cpu / cold, 3),
                                 "rcs": sorted({r.rc for r in s.runs})}
        out[label + "cache files"] = len([n for _, _, names in os.walk(cache) for n in names if n.endswith(".json")])
        out[label + "cache bytes"] = sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(cache)
                                         for n in names)
    out["entries"] = out["cache files"]
    return out


def cache_targets(res: dict) -> dict:
    out = {}
    rows = res["series"]
    one, two = rows.get("jobcheck --jobs 1"), rows.get("jobcheck --jobs 2")
    if one and two:
        r = one["wall_median_s"] / two["wall_median_s"]
        out[f"--jobs 2 >= {JOBS_TARGET}x faster than --jobs 1"] = (
            f"{r:.2f}x  {'met' if r >= JOBS_TARGET else 'MISSED'}  (paired {paired(one, two)}; needs 2 free cores)"
        )
    c = res.get("cache", {})
    if "warm re-run" in c:
        w = c["warm re-run"]
        out[f"warm re-run <= {CACHE_TARGET:.0%} of the cold run"] = (
            f"{w['wall_vs_cold']:.1%} wall, {w['cpu_vs_cold']:.1%} CPU  "
            f"{'met' if min(w['wall_vs_cold'], w['cpu_vs_cold']) <= CACHE_TARGET else 'MISSED'}"
            + ("" if c.get("identical_reports") else "  REPORTS DIFFER")
        )
    if "first run (empty cache)" in c:
        f = c["first run (empty cache)"]
        out[f"first run (empty cache) <= {1 + FIRST_RUN_TARGET:.0%} of the cold run"] = (
            f"{f['wall_vs_cold']:.1%} wall, {f['cpu_vs_cold']:.1%} CPU  "
            f"{'met' if min(f['wall_vs_cold'], f['cpu_vs_cold']) <= 1 + FIRST_RUN_TARGET else 'MISSED'}"
        )
    return out


def render_cache(res: dict) -> str:
    c = res.get("cache")
    if not c:
        return ""
    if "error" in c:
        return f"\nresult cache: {c['error']}\n"
    lines = ["", f"result cache (a copy of the corpus; {c['entries']} cache files, {c['cache bytes']:,} bytes; reports "
             f"{'identical to the cold run' if c['identical_reports'] else 'DIFFER from the cold run'}):",
             f"{'':<30}{'wall s':>10}{'CPU s':>10}{'wall/cold':>11}{'CPU/cold':>10}"]
    for name, row in c.items():
        if isinstance(row, dict):
            lines.append(f"  {name:<28}{row['wall_median_s']:>10.3f}{row['cpu_median_s']:>10.3f}"
                         f"{row['wall_vs_cold']:>11.1%}{row['cpu_vs_cold']:>10.1%}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="directory (or file) of manifests, e.g. from bench/gen_corpus.py")
    ap.add_argument("--reps", type=int, default=5, help="repetitions of each timed command (default 5)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for jobcheck and the baseline")
    ap.add_argument("--kv-docs", type=int, default=300, help="kubernetes-validate subset size (default 300)")
    ap.add_argument(
        "--kv-full", action="store_true", help="run kubernetes-validate on the whole corpus (slow)"
    )
    ap.add_argument("--kv-reps", type=int, default=3, help="repetitions for kubernetes-validate (default 3)")
    ap.add_argument("--kv-version", default="1.37", help="Kubernetes version for kubernetes-validate (1.37)")
    ap.add_argument("--startup-runs", type=int, default=10, help="runs for the start-up comparison (10)")
    ap.add_argument(
        "--mem-docs", type=int, nargs="+", default=[1000, 20000], help="single-stream sizes (1000 20000)"
    )
    ap.add_argument("--mem-reps", type=int, default=3, help="runs of each memory row (3; the median)")
    ap.add_argument("--seed", type=int, default=1, help="seed for the generated start-up/memory inputs")
    ap.add_argument(
        "--lint-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for every jobcheck lint run (repeatable), e.g. --lint-arg=--ignore=JC103",
    )
    ap.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["kv", "startup", "memory", "jobs2", "text", "yamllint", "cache"],
        help="leave out a part (repeatable)",
    )
    ap.add_argument(
        "--baseline-checkout",
        metavar="DIR",
        help="also time the jobcheck of another checkout (its root on PYTHONPATH), interleaved with this one",
    )
    ap.add_argument(
        "--baseline-label", default="base", metavar="LABEL", help="row label for --baseline-checkout (base)"
    )
    ap.add_argument(
        "--baseline-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the --baseline-checkout rows only (repeatable)",
    )
    ap.add_argument(
        "--target-ratio",
        type=float,
        default=1.5,
        help="issue 13's cold-throughput target, --jobs 1 CPU over PyYAML-C's (1.5; 2 for ../shared/corpus/public)",
    )
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of the table")
    ap.add_argument("--json-out", metavar="FILE", help="also write the JSON results to FILE")
    args = ap.parse_args(argv)
    for item in args.baseline_env:
        name, sep, value = item.partition("=")
        if not sep or not name:
            ap.error(f"--baseline-env {item}: expected NAME=VALUE")
        BASELINE_ENV[name] = value
    other = os.path.abspath(args.baseline_checkout) if args.baseline_checkout else None
    if other is not None and not os.path.isfile(os.path.join(other, "jobcheck", "__init__.py")):
        ap.error(f"--baseline-checkout {args.baseline_checkout}: no jobcheck/__init__.py there")

    root = os.path.abspath(args.corpus)
    counts = doc_counts(root)
    files = corpus_files(root)
    if set(files) != set(counts):
        log("warning: the corpus manifest does not match the files on disk; counting with PyYAML")
        counts = doc_counts(root, use_manifest=False)
    ndocs = sum(counts.values())
    generated = os.path.isdir(root) and os.path.exists(os.path.join(root, gen_corpus.MANIFEST_NAME))
    env = bench_env()
    res: dict = {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": _cpu_model(),
        },
        "corpus": {
            "path": root,
            "files": len(files),
            "documents": ndocs,
            "bytes": sum(os.path.getsize(p) for p in files),
        },
        "reps": args.reps,
        "target_ratio": args.target_ratio,
        "load_average_start": load(),
        "code_start": code_state(),
        "series": {},
        "problems": {},
        "checks": {},
    }
    base_cmd = [args.python, "-c", BASELINE, root]
    lint = [args.python, "-m", "jobcheck", "lint", root]
    series = [Series("pyyaml-c-baseline", base_cmd, ndocs)]
    # (label, checkout): the other checkout's rows sit next to this one's with the same --jobs, so
    # the two being compared are timed seconds apart. Each runs in its own root, since `python -m`
    # puts the working directory before PYTHONPATH.
    checkouts = [("jobcheck", REPO)]
    if other is not None:
        checkouts.append((args.baseline_label, other))
        res["baseline_checkout"] = {
            "label": args.baseline_label,
            "path": other,
            "env": dict(BASELINE_ENV),
            "code_start": code_state(other),
        }
    candidates = [
        (
            f"{label} --jobs {jobs}",
            lint + ["--jobs", jobs, "--format", "json", "-q"] + no_cache(checkout) + args.lint_arg,
            checkout,
        )
        for jobs in (["1"] if "jobs2" in args.skip else ["1", "2"])
        for label, checkout in checkouts
    ]

    log(f"corpus {root}: {ndocs} documents in {len(files)} files")
    if not files:
        log("no .yaml, .yml or .json file there: nothing to time")
        return 2
    warm = run_once(base_cmd, env)  # warm-up
    log(f"baseline check: rc={warm.rc} {warm.wall:.2f} s")
    for name, cmd, checkout in candidates:
        log(f"checking {name} (untimed run with the JSON report captured)")
        cmd_env = env if checkout == REPO else bench_env(checkout)
        ok, problem, info = check_jobcheck(
            cmd, cmd_env, ndocs if generated else None, len(files) if generated else None, cwd=checkout
        )
        res["checks"][name] = info
        if problem:
            res["problems"][name] = problem
            log(f"  problem: {problem}")
        if ok:
            series.append(Series(name, cmd, ndocs, env=cmd_env, cwd=checkout, jobcheck=True))
        else:
            log(f"  {name} is left out of the timings")
    if "text" not in args.skip:
        # The same --jobs 1 run writing the text report: the text output must be no slower than JSON.
        for label, checkout in checkouts:
            name = f"{label} --jobs 1 text"
            if not any(s.name == f"{label} --jobs 1" for s in series):
                continue
            cmd = lint + ["--jobs", "1", "--format", "text", "-q"] + no_cache(checkout) + args.lint_arg
            cmd_env = env if checkout == REPO else bench_env(checkout)
            r = run_once(cmd, cmd_env, cwd=checkout)
            if r.rc in (0, 1) and "Traceback" not in r.stderr:
                series.append(Series(name, cmd, ndocs, env=cmd_env, cwd=checkout, jobcheck=True))
            else:
                res["problems"][name] = f"exit code {r.rc}: {r.stderr.strip().splitlines()[-1:]}"
    log(f"timing {len(series)} commands x {args.reps} reps (interleaved)")
    time_series(series, args.reps, env)
    for s in series:
        res["series"][s.name] = s.summary()
    res["checks"]["pyyaml-c-baseline"] = {"rc": warm.rc, "stderr": warm.stderr[-500:]}

    with tempfile.TemporaryDirectory(prefix="jobcheck-bench-") as tmp:
        if "kv" not in args.skip:
            res["kubernetes_validate"] = kv_bench(args, counts, ndocs)
        if "startup" not in args.skip:
            log(f"start-up: {args.startup_runs} runs each")
            res["startup"] = startup_bench(args, env, tmp, other)
        if "memory" not in args.skip:
            log("memory: single-stream files")
            res["memory"] = memory_bench(args, env, tmp, other)
        if "cache" not in args.skip:
            log("result cache: cold, first, warm, one file touched")
            res["cache"] = cache_bench(args, env, root, tmp, other)
    res["load_average_end"] = load()
    res["code_end"] = code_state()
    if res["code_end"]["tree_digest"] != res["code_start"]["tree_digest"]:  # a commit alone changes nothing
        res["problems"]["code"] = (
            f"jobcheck changed during the run ({res['code_start']} -> {res['code_end']}); rerun for clean figures"
        )
    if other is not None:
        b = res["baseline_checkout"]
        b["code_end"] = code_state(other)
        if b["code_end"]["tree_digest"] != b["code_start"]["tree_digest"]:
            res["problems"]["baseline code"] = (
                f"{other} changed during the run ({b['code_start']} -> {b['code_end']}); rerun for clean figures"
            )
        res["side_by_side"] = side_by_side(res)
    res["targets"] = targets(res)
    res["targets"].update(cache_targets(res))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2)
            fh.write("\n")
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        print(render_table(res) + render_cache(res), end="")
    return 0


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
