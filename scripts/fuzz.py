"""The long fuzz run, for before a release: mutate real manifests and run every command-line path.

    for seed in 1 2 3 4; do python scripts/fuzz.py --count 5000 --seed $seed || break; done   # 20,000, 25-50 min
    python scripts/fuzz.py --count 2000 --seed 7 --save /tmp/found --minimize

Each mutant goes through ``lint`` in every format, ``--show-source``, ``--diff``, ``--fix`` (on a
copy), ``explain FILE`` (text and JSON) and ``dump``; after every tenth mutant, a random cron
expression is explained with random options too. The summary lists each problem class (a traceback's innermost
jobcheck frame, an invalid output, a slow path, a printed secret, a file written without --fix) with
its count and its smallest trigger, and the slowest input. Exit 1 if any problem was found.
``--save DIR`` writes the smallest trigger of each class there (``--minimize`` first shrinks it
line by line), ready to become a file in tests/fuzz/crashers/.

The harness (seeds, mutators, checks) is tests/fuzz/harness.py, shared with the pytest fuzz tests.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

try:
    import resource
except ImportError:  # not on Windows: no memory limit there
    resource = None  # type: ignore[assignment]

import harness  # noqa: E402
import mutators  # noqa: E402


def shrink(data: bytes, cls: str, paths: list[str], budget: int = 200) -> bytes:
    """Remove runs of lines (halving the run length) while the problem class stays."""

    def still(candidate: bytes) -> bool:
        outcome = harness.run_paths(candidate, paths=paths)
        return any(p.cls == cls for p in outcome.problems)

    lines = data.split(b"\n")
    tries = 0
    chunk = max(1, len(lines) // 2)
    while chunk >= 1 and tries < budget:
        i = 0
        changed = False
        while i < len(lines) and tries < budget:
            candidate = lines[:i] + lines[i + chunk:]
            tries += 1
            if candidate and still(b"\n".join(candidate)):
                lines = candidate
                changed = True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    return b"\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=2000, help="mutants to run (default 2000), plus one explain expression per ten")
    ap.add_argument("--seed", type=int, default=0, help="random seed (the run is reproducible)")
    ap.add_argument("--save", type=Path, help="write the smallest trigger of each class to this directory")
    ap.add_argument("--minimize", action="store_true", help="shrink each saved trigger line by line first")
    ap.add_argument("--max-memory-mb", type=int, default=8192,
                    help="address-space limit of this process: a blow-up is a MemoryError class, not a dead machine")
    ap.add_argument("--no-secrets", action="store_true", help="do not check for the planted secret")
    args = ap.parse_args(argv)

    harness.environment()
    if args.max_memory_mb and resource is not None:
        limit = args.max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    seeds = mutators.load_seeds()
    rng = random.Random(args.seed)
    bound = harness.slow_bound()
    fixed, per_byte = harness.baseline_seconds()
    print(f"{len(seeds)} seeds; a path is slow over {harness.SLOW_FACTOR}x a normal document of its size, at least "
          f"{harness.SLOW_FLOOR:.0f} s (here {fixed * 1000:.0f} ms + {per_byte * 1e6:.1f} us/byte: {bound:.1f} s "
          f"for a small file, {harness.slow_bound(100_000):.1f} s for 100 KB)", flush=True)
    found: dict[str, list] = {}  # class -> [count, smallest bytes, description, detail, paths]
    slowest = (0.0, "", "")
    start = time.perf_counter()
    exprs = 0
    for n in range(args.count):
        mutation = mutators.random_mutation(rng, seeds)
        data = mutation.build()
        secrets = () if args.no_secrets or "secret" not in mutation.seed.name else (mutators.CANARY,)
        runs = [(harness.run_paths(data, secrets=secrets), data, mutation.describe())]
        if n % 10 == 9:
            expr, extra = mutators.random_explain_args(rng)
            command = f"jobcheck explain {' '.join(map(repr, extra))} -- {expr!r}"
            runs.append((harness.explain_expression(expr, extra, bound=bound),
                         command.encode("utf-8", "backslashreplace"), "explain EXPR"))
            exprs += 1
        for outcome, data, desc in runs:
            label, seconds = outcome.slowest
            if seconds > slowest[0]:
                slowest = (seconds, label, desc)
            for problem in outcome.problems:
                entry = found.setdefault(problem.cls, [0, data, desc, problem.detail, set()])
                entry[0] += 1
                entry[4].add(problem.where if problem.kind != "traceback" else problem.detail.split(":")[0])
                if len(data) < len(entry[1]):
                    entry[1:4] = [data, desc, problem.detail]
        if (n + 1) % 500 == 0:
            print(f"  {n + 1} mutants, {len(found)} classes, {time.perf_counter() - start:.0f} s", flush=True)

    elapsed = time.perf_counter() - start
    print(f"\n{args.count} mutants and {exprs} explain expressions in {elapsed:.0f} s; "
          f"{len(found)} problem classes")
    for cls, (count, data, desc, detail, paths) in sorted(found.items(), key=lambda kv: -kv[1][0]):
        print(f"\n{count:6d}  {cls}\n        {detail[:200]}\n        paths: {', '.join(sorted(paths))}"
              f"\n        smallest: {desc} ({len(data)} bytes)")
    print(f"\nslowest: {slowest[1]} {slowest[0]:.2f} s on {slowest[2]}")
    if args.save and found:
        args.save.mkdir(parents=True, exist_ok=True)
        for i, (cls, (_count, data, desc, detail, paths)) in enumerate(sorted(found.items())):
            if args.minimize and desc != "explain EXPR":
                data = shrink(data, cls, [p for p in paths if p in harness.PATH_LABELS] or list(harness.PATH_LABELS))
            name = args.save / f"{i:02d}.bin"
            name.write_bytes(data)
            (args.save / f"{i:02d}.txt").write_text(f"{cls}\n{detail}\n{desc}\n", encoding="utf-8")
        print(f"triggers written to {args.save}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
