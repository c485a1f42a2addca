"""``jobcheck lint FILES...`` without click (issue 13: a pre-commit run pays for every import).

``parse`` reads the command lines a hook or a CI step writes: ``lint``, then paths and the common
options in their plain spellings (``--format json``, ``--format=json``, ``-q``, ``--jobs 2``, ...).
Anything else (help, ``--version``, ``--output``, ``--config``, ``--rules-dir``, joined short options,
``--``, a value click would refuse, a missing value, an unknown option, no path, shell completion)
gives None, and the caller hands the whole command line to click, which prints its own usage and
errors. So what this module accepts runs exactly as under click (tests/test_cli_fast.py parses
the same command lines both ways), and what it does not is click's to answer.
"""

from __future__ import annotations

import os
import sys

# The defaults of the lint command's parameters (jobcheck.cli.lintcmd), by parameter name.
DEFAULTS = {
    "fmt": "text", "output": None, "kubernetes_version": None, "fail_on": None, "select": (),
    "extend_select": (), "ignore": (), "exclude": (), "rules_dir": (), "config_path": None, "no_config": False,
    "strict": None, "show_source": False, "color": None, "jobs": "1", "stdin_filename": "<stdin>",
    "quiet": False, "fix": False, "unsafe_fixes": False, "show_diff": False, "respect_gitignore": True,
    "default_excludes": True, "no_cache": False, "verbose": False,
}
FLAGS = {  # option -> (parameter, value)
    "-q": ("quiet", True), "--quiet": ("quiet", True), "--no-config": ("no_config", True),
    "--strict": ("strict", True), "--no-strict": ("strict", False), "--show-source": ("show_source", True),
    "--color": ("color", True), "--no-color": ("color", False), "--fix": ("fix", True),
    "--unsafe-fixes": ("unsafe_fixes", True), "--diff": ("show_diff", True),
    "--respect-gitignore": ("respect_gitignore", True), "--no-respect-gitignore": ("respect_gitignore", False),
    "--default-excludes": ("default_excludes", True), "--no-default-excludes": ("default_excludes", False),
    "--no-cache": ("no_cache", True), "-v": ("verbose", True), "--verbose": ("verbose", True),
}
VALUES = {  # option -> parameter, for options that take one value (the last given wins)
    "-f": "fmt", "--format": "fmt", "-k": "kubernetes_version", "--kubernetes-version": "kubernetes_version",
    "--fail-on": "fail_on", "-j": "jobs", "--jobs": "jobs", "--stdin-filename": "stdin_filename",
}
MULTIPLE = {"--select": "select", "--extend-select": "extend_select", "--ignore": "ignore", "--exclude": "exclude"}
FAIL_ON = ("error", "warning", "info", "never")


def parse(argv: list[str]) -> dict | None:
    """The lint command's parameters (``jobs`` a number) for ``argv`` (without the program), or None
    when click is to read it."""
    if len(argv) < 2 or argv[0] != "lint" or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return None
    from jobcheck.cli.lint import parse_jobs
    from jobcheck.report import REPORTERS

    values = dict(DEFAULTS)
    paths: list[str] = []
    multiple: dict[str, list[str]] = {}
    args = iter(argv[1:])
    for arg in args:
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        if arg in FLAGS:
            name, value = FLAGS[arg]
            values[name] = value
            continue
        option, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if option not in VALUES and option not in MULTIPLE:
            return None  # help, --output, --config, --rules-dir, "--", -qv, -fjson, a flag with =, a typo
        if not equals:
            value = next(args, None)
            if value is None or value.startswith("-"):  # missing, or click's to judge
                return None
        if option in MULTIPLE:
            multiple.setdefault(MULTIPLE[option], []).append(value)
        else:
            values[VALUES[option]] = value
    if not paths or values["fmt"] not in REPORTERS or (values["fail_on"] is not None and values["fail_on"] not in FAIL_ON):
        return None
    jobs = parse_jobs(values["jobs"])
    if isinstance(jobs, str):
        return None
    values.update({name: tuple(given) for name, given in multiple.items()}, jobs=jobs, paths=tuple(paths))
    return values


def run(values: dict) -> None:
    """Run ``jobcheck lint`` with ``values`` and exit as click's standalone mode does: its exit code;
    1 after "Aborted!" on an interrupt; 1, quietly, when standard output is a closed pipe."""
    from jobcheck.cli.common import echo
    from jobcheck.cli.lint import lint_command, make_request

    try:
        try:
            sys.exit(lint_command(make_request(**values)))
        except (EOFError, KeyboardInterrupt):
            echo("", err=True)
            echo("Aborted!", err=True)
        except OSError as exc:
            import errno

            if exc.errno != errno.EPIPE:
                raise
            from click.core import _PacifyFlushWrapper  # as click leaves the streams

            sys.stdout = _PacifyFlushWrapper(sys.stdout)
            sys.stderr = _PacifyFlushWrapper(sys.stderr)
        sys.exit(1)
    except (EOFError, KeyboardInterrupt):
        sys.exit(1)
