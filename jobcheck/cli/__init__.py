"""The command line: parse options, call the library, choose the exit code. Nothing imports it.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O errors
(jobcheck.cli.common). Each command that is more than a call lives in its own module.

``console_main`` is the program (the ``jobcheck`` script, ``python -m jobcheck``): a plain
``jobcheck lint FILES...`` runs without importing click (``jobcheck.cli.fast``), every other
command line goes to ``main``, the click group, which is built when first asked for (tests and
other callers keep using ``from jobcheck.cli import main``).
"""

from __future__ import annotations

import sys

# name -> (module, attribute): a command's module is imported when the command is asked for, so
# ``jobcheck lint`` never loads what ``explain`` or ``dump`` need.
_COMMANDS = {
    "dump": ("jobcheck.cli.dump", "dump"),
    "explain": ("jobcheck.cli.explain", "explain"),
    "lint": ("jobcheck.cli.lintcmd", "lint"),
    "lsp": ("jobcheck.cli.lsp", "lsp"),
    "rule": ("jobcheck.cli.rules", "show_rule"),
    "rules": ("jobcheck.cli.rules", "list_rules"),
    "schedule": ("jobcheck.cli.schedule", "schedule"),
}


def console_main() -> None:
    """The ``jobcheck`` program: the fast path for a plain lint command line, click for the rest."""
    import gc

    from jobcheck.cli import fast

    # Start-up allocates objects that live for the whole run (modules, classes, tables): the
    # cyclic collector's passes over them during the imports cost ~1.5 ms of a one-file lint.
    # lint_command sets the run's own thresholds (cli.lint._tune_gc); click's commands get back
    # the interpreter's.
    threshold = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    values = fast.parse(sys.argv[1:])
    if values is not None:
        fast.run(values)
    gc.set_threshold(*threshold)
    from jobcheck.cli.group import main

    main()


def __getattr__(name: str):
    if name == "main":
        from jobcheck.cli.group import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
