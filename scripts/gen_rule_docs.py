#!/usr/bin/env python3
"""Regenerate the rule documentation from rules/*.yaml.

Writes docs/rules.md (every rule in full) and the rule table between the markers in
README.md. `--check` exits 1 when either is stale (the test suite runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jobcheck.lint.registry import load_rules  # noqa: E402
from jobcheck.lint.ruledocs import README_BEGIN, README_END, readme_table, rule_text  # noqa: E402


def rules_markdown() -> str:
    rules = load_rules()
    parts = ["# jobcheck rules", "", "Generated from `rules/*.yaml` by `scripts/gen_rule_docs.py`; do not edit.", ""]
    for rule in sorted(rules.values(), key=lambda r: r.id):
        parts.append(f"## {rule.id} {rule.name}")
        parts.append("")
        body = rule_text(rule).split("\n", 1)[1].replace("\n## ", "\n### ")
        for marker in ("### Example\n", "### Use instead\n"):
            body = _fence_after(body, marker)
        parts.append(body.strip())
        parts.append("")
    return "\n".join(parts)


def _fence_after(body: str, marker: str) -> str:
    if marker not in body:
        return body
    head, tail = body.split(marker, 1)
    example, sep, rest = tail.partition("\n\n### ")
    return f"{head}{marker}```yaml\n{example.rstrip()}\n```\n" + (f"\n### {rest}" if sep else "")


def readme_text(current: str) -> str:
    start, end = current.find(README_BEGIN), current.find(README_END)
    if start < 0 or end < 0:
        raise SystemExit("README.md lacks the rules-table markers")
    return current[:start] + readme_table(load_rules()) + current[end + len(README_END):]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the generated files are stale")
    args = parser.parse_args()
    targets = {
        ROOT / "docs" / "rules.md": rules_markdown(),
        ROOT / "README.md": readme_text((ROOT / "README.md").read_text(encoding="utf-8")),
    }
    stale = [path for path, text in targets.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run python scripts/gen_rule_docs.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(targets[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
