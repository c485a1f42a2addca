"""Expand command-line paths into the files to lint."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator

from jobcheck.record import dataclass
from jobcheck.redact import LazyPattern

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
# Directories a walk leaves out because they hold other people's files or build output, as
# ruff's default excludes do (hidden ones, .git and .venv among them, are always left out, and a
# virtualenv is recognised by its pyvenv.cfg whatever its name).
DEFAULT_EXCLUDES = frozenset({"node_modules", "vendor", "venv", "build", "dist", "__pycache__", "site-packages"})

_VENV_FILE = "pyvenv.cfg"  # a folder holding it is a virtualenv
_VENV_MARK = os.sep + _VENV_FILE  # (a folder's path never ends with a separator)
EXCLUDED_BY_DEFAULT = "excluded by default (use --no-default-excludes to include it)"
Skipped = Callable[[str, str], None]  # (path, reason) for what a walk leaves out


@dataclass(frozen=True)
class Target:
    """One input to lint, as discovery found it."""

    path: str  # what the user sees in findings
    error: str | None = None  # why it cannot be linted (an I/O or usage error)
    # A kustomize strategic-merge patch: a partial object, checked for what it says, never for
    # what it leaves out (see kustomize_patches).
    partial: bool = False
    # A walk's listing says it is a regular file: the driver opens it without a stat first.
    regular: bool = False


def excluded(path: str, patterns: Iterable[str]) -> bool:
    """Match a glob against the whole path, its normalised form and its last component."""
    norm = os.path.normpath(path)
    base = os.path.basename(norm)
    for pattern in patterns:
        pat = pattern.rstrip("/")
        if fnmatch.fnmatch(norm, pat) or fnmatch.fnmatch(base, pat) or fnmatch.fnmatch(norm, f"*/{pat}"):
            return True
        if fnmatch.fnmatch(norm, f"{pat}/*") or fnmatch.fnmatch(norm, f"*/{pat}/*"):
            return True
    return False


class _Exclusion:
    """Patterns relative to the working directory and, from a config file, to that file's directory."""

    def __init__(self, patterns: tuple[str, ...], anchored: tuple[str, tuple[str, ...]] | None) -> None:
        self.patterns = patterns
        self.base, self.anchored = (os.path.abspath(anchored[0]), anchored[1]) if anchored and anchored[1] else ("", ())

    def __call__(self, path: str) -> bool:
        if self.patterns and excluded(path, self.patterns):
            return True
        return bool(self.anchored) and excluded(os.path.relpath(os.path.abspath(path), self.base), self.anchored)


def expand(paths: Iterable[str], exclude: Iterable[str] = (), *, respect_gitignore: bool = True,
           default_excludes: bool = True, skipped: Skipped | None = None,
           exclude_from: tuple[str, tuple[str, ...]] | None = None,
           notice: Skipped | None = None,
           listed: Callable[[str, list[str]], None] | None = None) -> Iterator[Target]:
    """Yield files to lint in a stable order: explicit files as given, directories recursively.

    Directory walks take only *.yaml, *.yml and *.json, skip hidden directories and files, the
    directories in DEFAULT_EXCLUDES and virtualenvs (unless ``default_excludes`` is false), and
    what the repository's .gitignore files ignore (unless ``respect_gitignore`` is false); they do
    not follow symlinked directories (so symlink loops cannot trap them). An explicit file is
    always linted, unless ``exclude`` matches it. ``skipped`` hears of each directory or file a
    walk leaves out for being ignored or excluded by default. ``exclude`` is matched against the
    paths as given (relative to the working directory); ``exclude_from`` is (directory, patterns)
    from a config file, matched against the paths relative to that directory.

    A walk stays inside its tree and never blocks: a symlinked file is followed only when its
    target lies under the walked directory, and FIFOs, sockets and devices are never opened;
    ``notice`` hears of each such file left out (it is worth telling even without --verbose).
    An explicit path is the user's choice and is used as given (a FIFO or /dev/stdin included).
    ``listed`` hears of each directory a walk lists: its real path and the names of its entries
    that are not directories (jobcheck.config.note_listing: no second look for config files).
    """
    is_excluded = _Exclusion(tuple(exclude), exclude_from)
    for raw in paths:
        if raw == STDIN:
            yield Target(STDIN)
            continue
        if is_excluded(raw):
            continue
        try:
            os.stat(raw)
        except OSError as exc:
            yield Target(raw, _os_reason(exc))
            continue
        if os.path.isdir(raw):
            ignores = _Ignores.for_root(raw) if respect_gitignore else None
            yield from _walk(raw, is_excluded, ignores, default_excludes, skipped or _untold,
                             notice or skipped or _untold, listed)
        elif _test_assertion(os.path.basename(raw)):
            if skipped is not None:
                skipped(raw, TEST_ASSERTION_REASON)
        else:  # a file named beside its kustomization
            yield Target(raw, partial=os.path.realpath(raw) in kustomize_patches(os.path.dirname(raw) or "."))


def _untold(_path: str, _why: str) -> None:
    pass


# The assert and errors files of a kuttl or chainsaw test step (`01-assert.yaml`): partial objects
# matched against a cluster's state, never applied, so not manifests to lint.
TEST_ASSERTION = LazyPattern(r"(?:^|[^A-Za-z0-9])\d+-(?:assert|errors)\.(?:ya?ml|json)$", re.IGNORECASE)


def _test_assertion(name: str) -> bool:
    """``TEST_ASSERTION.search(name)``, the pattern compiled and run only for a name that has its
    literal part (casefold: what IGNORECASE equates, such as "ſ" and "s", compares equal)."""
    folded = name.casefold()
    return ("-assert." in folded or "-errors." in folded) and TEST_ASSERTION.search(name) is not None


TEST_ASSERTION_REASON = "a kuttl/chainsaw test step's assertion (NN-assert.yaml, NN-errors.yaml), not a manifest"

KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")


@functools.lru_cache(maxsize=64)
def kustomize_patches(directory: str) -> frozenset[str]:
    """The real paths of the files the directory's kustomization names as strategic-merge patches:
    ``patchesStrategicMerge`` entries that are paths and the ``path`` of ``patches`` entries.
    (``patchesJson6902`` patches are JSON patches, lists, which are never linted.) Empty when there
    is no kustomization or it cannot be read."""
    for name in KUSTOMIZATIONS:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            break
    else:
        return frozenset()
    from ruamel.yaml import YAML  # only for a walk that meets a kustomization
    from ruamel.yaml.error import YAMLError

    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = YAML(typ="safe").load(handle)
    except (OSError, UnicodeDecodeError, YAMLError):
        return frozenset()
    if not isinstance(data, dict):
        return frozenset()
    named: list = []
    merge = data.get("patchesStrategicMerge")
    if isinstance(merge, list):
        named += [entry for entry in merge if isinstance(entry, str) and "\n" not in entry]  # not inline patches
    patches = data.get("patches")
    if isinstance(patches, list):
        named += [entry.get("path") for entry in patches if isinstance(entry, dict)]
    return frozenset(os.path.realpath(os.path.join(directory, entry)) for entry in named
                     if isinstance(entry, str) and entry)


def _walk(root: str, is_excluded: Callable[[str], bool], ignores: _Ignores | None, default_excludes: bool,
          skipped: Skipped, notice: Skipped, listed: Callable[[str, list[str]], None] | None = None) -> Iterator[Target]:
    errors: list[OSError] = []
    tree = os.path.realpath(root)
    # A folder below the root is named root_prefix + its path from the root (_listings joins so).
    root_prefix, tree_prefix = os.path.join(root, ""), os.path.join(tree, "")
    chains: dict[str, _Ignores | None] = {}
    patches: set[str] = set()  # of the kustomizations met so far (a directory's before its files)
    for directory, dirnames, filenames, entries in _listings(root, errors.append):
        if default_excludes and _VENV_FILE in filenames and directory != root:
            # A virtualenv of any name, told when the walk reaches it: its own listing names it (a
            # stat from the parent of each folder for its pyvenv.cfg cost more than the listing).
            skipped(directory, EXCLUDED_BY_DEFAULT)
            dirnames[:], filenames = [], []
        if any(name in filenames for name in KUSTOMIZATIONS):
            patches |= kustomize_patches(directory)
        if listed is not None:  # below the root, the walk enters no symbolic link: the real path is the tree's
            listed(tree if directory == root else tree_prefix + directory[len(root_prefix):], filenames)
        here = chains.pop(directory, ignores)
        if here is not None and ".gitignore" in filenames:
            here = here.nested(directory)
        # prefix + name is os.path.join(directory, name), at a fifth of its cost (a folder below the
        # root never ends with a separator).
        prefix = os.path.join(directory, "") if directory == root else directory + os.sep
        kept = []
        for d in sorted(dirnames):
            full = prefix + d
            if d.startswith(".") or is_excluded(full):
                continue
            # A folder the walk does not enter (a symbolic link), or will not (ignored), is looked
            # into for a pyvenv.cfg here; the others when they are reached.
            ignored = here is not None and here.ignored(full, directory=True)
            if default_excludes and (d in DEFAULT_EXCLUDES or (ignored or _is_link_or_unknown(entries.get(d)))
                                     and os.path.isfile(full + _VENV_MARK)):
                skipped(full, EXCLUDED_BY_DEFAULT)
                continue
            if ignored:
                skipped(full, "ignored by .gitignore (use --no-respect-gitignore to include it)")
                continue
            kept.append(d)
            chains[full] = here
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(MANIFEST_SUFFIXES):
                continue
            full = prefix + name
            if is_excluded(full):
                continue
            if here is not None and here.ignored(full, directory=False):
                skipped(full, "ignored by .gitignore (use --no-respect-gitignore to include it)")
                continue
            # A regular file as the listing says (no stat): what _leaves_tree would let through.
            regular = _regular(entries.get(name))
            outside = None if regular else _leaves_tree(full, tree)
            if outside:
                notice(full, outside)
                continue
            if _test_assertion(name):
                skipped(full, TEST_ASSERTION_REASON)
                continue
            yield Target(full, partial=bool(patches) and os.path.realpath(full) in patches, regular=regular)
        while errors:
            exc = errors.pop()
            yield Target(exc.filename or directory, _os_reason(exc))


def _listings(top: str, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, list[str], list[str], dict]]:
    """``os.walk(top, onerror=onerror)`` (top down, symbolic links to directories listed, never
    entered), each directory with its entries by name as ``os.scandir`` gave them: their types
    come with the listing, so a walk needs no ``lstat`` per file or per folder (os.walk and the
    checks of its files ran two per file on a tree of small folders). The caller may narrow
    ``dirnames`` in place, as with os.walk; a folder that cannot be listed goes to ``onerror``."""
    root = os.fspath(top)
    stack = [root]
    while stack:
        top = stack.pop()
        dirs: list[str] = []
        nondirs: list[str] = []
        entries: dict = {}
        try:
            listing = os.scandir(top)
        except OSError as error:
            onerror(error)
            continue
        failed = False
        with listing:
            while True:
                try:
                    entry = next(listing, None)
                except OSError as error:  # as os.walk: the folder is told, and not walked
                    onerror(error)
                    failed = True
                    break
                if entry is None:
                    break
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (dirs if is_dir else nondirs).append(entry.name)
                entries[entry.name] = entry
        if failed:
            continue
        yield top, dirs, nondirs, entries
        prefix = os.path.join(top, "") if top == root else top + os.sep  # prefix + name: os.path.join(top, name)
        for name in reversed(dirs):  # a stack: the first is walked first
            path = prefix + name
            entry = entries.get(name)
            if not (_is_link(entry) if entry is not None else os.path.islink(path)):
                stack.append(path)


def _is_link_or_unknown(entry: os.DirEntry | None) -> bool:
    return entry is None or _is_link(entry)


def _is_link(entry: os.DirEntry) -> bool:
    """``os.path.islink`` of a listed entry, from its listing when that tells its type."""
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _regular(entry: os.DirEntry | None) -> bool:
    """Whether a listed entry is a regular file (not a link), from its listing when that tells."""
    try:
        return entry is not None and entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _leaves_tree(path: str, tree: str) -> str | None:
    """Why a walk must not open ``path`` (a symlink out of ``tree``, or a file that is not a
    regular file: a FIFO would block the run), or None."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            real = os.path.realpath(path)
            if os.path.commonpath([real, tree]) != tree:
                return "a symbolic link to a file outside the linted directory; not followed (name it to lint it)"
            info = os.stat(path)
    except (OSError, ValueError):
        return None  # a dangling link or a vanished file: opening it reports the error
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a FIFO, socket or device); not opened"
    return None


class _Ignores:
    """The .gitignore rules in force in one directory: (base directory, rules), outermost first.

    The deepest file that says anything about a path decides, as in git; a path is tested with
    a trailing slash when it is a directory, so ``build/`` patterns match directories only.
    """

    def __init__(self, chain: tuple[tuple[str, GitIgnoreSpec], ...]) -> None:
        self.chain = chain

    @classmethod
    def for_root(cls, root: str) -> _Ignores:
        """The rules a walk from ``root`` starts with: inside a git work tree, the .gitignore files
        from the repository's top down to ``root`` and .git/info/exclude. If those ignore ``root``
        itself, it was named explicitly, so they are dropped and only its own files count."""
        top = os.path.abspath(root)
        ancestors = []
        current = top
        while True:
            ancestors.append(current)
            if os.path.exists(os.path.join(current, ".git")):
                break
            parent = os.path.dirname(current)
            if parent == current:
                return cls(())  # not in a git work tree: only the .gitignore files under root
            current = parent
        repo = ancestors[-1]
        chain: list[tuple[str, GitIgnoreSpec]] = []
        exclude_file = _read_spec(os.path.join(repo, ".git", "info", "exclude"))
        if exclude_file is not None:
            chain.append((repo, exclude_file))
        for directory in reversed(ancestors[1:]):  # root's own .gitignore is read by the walk
            spec = _read_spec(os.path.join(directory, ".gitignore"))
            if spec is not None:
                chain.append((directory, spec))
        found = cls(tuple(chain))
        return cls(()) if top != repo and found.ignored(top, directory=True) else found

    def nested(self, directory: str) -> _Ignores:
        spec = _read_spec(os.path.join(directory, ".gitignore"))
        return self if spec is None else _Ignores(self.chain + ((os.path.abspath(directory), spec),))

    def ignored(self, path: str, directory: bool) -> bool:
        if not self.chain:
            return False
        full = os.path.abspath(path)
        for base, spec in reversed(self.chain):
            rel = os.path.relpath(full, base).replace(os.sep, "/")
            verdict = spec.check_file(rel + "/" if directory else rel).include
            if verdict is not None:
                return verdict
        return False


def _read_spec(path: str) -> GitIgnoreSpec | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    if not any(line.strip() for line in lines):
        return None
    from pathspec import GitIgnoreSpec  # only directory walks need it: ~40 ms of start-up otherwise

    return GitIgnoreSpec.from_lines(lines)


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def read_bytes(target: str) -> bytes:
    """Read a file, or standard input for ``-``."""
    if target == STDIN:
        import sys

        return sys.stdin.buffer.read()
    with open(target, "rb") as handle:
        return handle.read()
