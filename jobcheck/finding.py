"""The Finding type every layer produces and every reporter formats."""

from __future__ import annotations

from enum import IntEnum
from functools import lru_cache
from itertools import repeat
from operator import attrgetter

from jobcheck import record
from jobcheck.record import dataclass

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

Path = tuple  # of str keys and int indexes


class Severity(IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Return the severity named by ``text`` (error, warning, info)."""
        return cls[text.strip().upper()]

    def __str__(self) -> str:
        return self.name.lower()


# Hit and Finding are created tens of thousands of times in a large run, and a frozen dataclass
# pays an object.__setattr__ call per field (3-4x the construction time). They are treated as
# immutable all the same, and stay hashable.
@dataclass(slots=True, unsafe_hash=True)
class Hit:
    """What a check yields: a place in the object and what is wrong there.

    ``path`` is relative to the document root. When the path does not exist
    in the document (a missing field) the engine reports at the nearest
    existing ancestor's key. ``span`` optionally narrows the position to
    character offsets [start, end) inside a string value (used by cron
    errors to point at the bad field). ``on_key`` reports at the key rather
    than the value. ``holds_until`` is for a message that names dates the clock moves past
    (upcoming runs, DST changes): an instant (aware) before which the message cannot read
    otherwise; the result cache keeps the finding until then (``jobcheck.cache``).
    """

    path: Path
    message: str
    fix: str | None = None
    span: tuple[int, int] | None = None
    on_key: bool = False
    severity: Severity | None = None  # override of the rule's severity for this hit
    absent: bool = False  # about a field that is missing (silent on a partial object, a kustomize patch)
    holds_until: datetime | None = None


@dataclass(order=True, slots=True, unsafe_hash=True)  # slots: large runs hold many findings
class Finding:
    file: str
    line: int
    column: int
    rule: str
    end_line: int = 0
    end_column: int = 0
    name: str = record.field(default="", compare=False)
    severity: Severity = record.field(default=Severity.ERROR, compare=False)
    message: str = record.field(default="", compare=False)
    field: str = record.field(default="", compare=False)
    document: int = record.field(default=0, compare=False)
    kind: str = record.field(default="", compare=False)
    namespace: str = record.field(default="", compare=False)
    object: str = record.field(default="", compare=False)
    fix: str | None = record.field(default=None, compare=False)
    source: str | None = record.field(default=None, compare=False)  # helm "# Source:" template

    def __reduce__(self) -> tuple:
        # --jobs workers send every finding to the parent. The default pickle of a slotted object is
        # a dict of slot names, restored one setattr at a time; the field values in order, restored
        # by one __init__ call, pickle in half the time and unpickle in under half.
        return (self.__class__, _field_values(self))


# __init__'s argument order: the engine builds findings positionally, in this order.
FIELD_ORDER = tuple(f.name for f in record.fields(Finding))
_field_values = attrgetter(*FIELD_ORDER)

# Finding's order as a key function: sorting with it builds one tuple per finding, where the
# dataclass comparison methods build two per comparison.
finding_order = attrgetter("file", "line", "column", "rule", "end_line", "end_column")


# A file's findings as columns, the result cache's stored form (jobcheck.cache): one sequence of
# ints per field but the file, in this order. The texts (the first seven) index a table of texts;
# fix and source hold 0 for null, else the index plus one; the rest are the fields' own numbers.
COLUMNS = ("rule", "name", "message", "field", "kind", "namespace", "object", "fix", "source",
           "severity", "line", "column", "end_line", "end_column", "document")


class Texts:
    """A table of texts as JSON strings (``quoted``, ASCII: the result cache keeps them so, and the
    JSON report writes them as they are) and as the texts themselves (``plain``: decoded when first
    needed unless given)."""

    __slots__ = ("quoted", "_plain", "__weakref__")  # (the JSON report keeps its pieces per table)

    def __init__(self, quoted: list[str], plain: list[str] | None = None) -> None:
        self.quoted = quoted
        self._plain = None if plain is None else (plain, [None, *plain])

    def __len__(self) -> int:
        return len(self.quoted)

    def plain(self) -> tuple[list[str], list]:
        """The texts, and None followed by them (a nullable column's number indexes it)."""
        if self._plain is None:
            import json  # only for a table no pack read gave (a stream file's chunk)

            texts = json.loads("[" + ",".join(self.quoted) + "]")
            self._plain = (texts, [None, *texts])
        return self._plain


class Columns:
    """Findings of ``file`` as ``COLUMNS`` (``columns[k]``: field ``COLUMNS[k]`` of each, ``count``
    long), their texts indexing ``texts`` (a nullable one: 0 for None, else the index plus one). A
    warm run reports a cached file from them: a report that can format them as they are (the JSON
    one) builds no Finding; ``findings()`` builds them for the others."""

    __slots__ = ("file", "count", "columns", "texts")

    def __init__(self, file: str, count: int, columns: list, texts: Texts) -> None:
        self.file, self.count, self.columns, self.texts = file, count, columns, texts

    def findings(self) -> list[Finding]:
        plain, nullable = self.texts.plain()
        c, text, maybe = self.columns, plain.__getitem__, nullable.__getitem__
        # Finding's fields in the order of its __init__ (FIELD_ORDER), from COLUMNS.
        return list(map(Finding, repeat(self.file, self.count), c[10], c[11], map(text, c[0]), c[12], c[13],
                        map(text, c[1]), map(LEVELS.__getitem__, c[9]), map(text, c[2]), map(text, c[3]), c[14],
                        map(text, c[4]), map(text, c[5]), map(text, c[6]), map(maybe, c[7]), map(maybe, c[8])))


LEVELS = tuple(Severity(n) for n in range(len(Severity)))  # a stored severity indexes it


class Key(str):
    """A map key in a path that prints in brackets, ``labels[job-name]``, as the API server prints
    the keys of labels and resource lists; a plain ``str`` key prints after a dot."""

    __slots__ = ()


def render_path(path: Path) -> str:
    """Return ``path`` in Kubernetes notation: ``spec.containers[0].image``, ``limits[cpu]`` for a Key."""
    out: list[str] = []
    for elem in path:
        if isinstance(elem, (int, Key)):
            out.append(f"[{elem}]")
        else:
            if out:
                out.append(".")
            out.append(str(elem))
    return "".join(out)


@lru_cache(maxsize=8192)  # the same few hundred fields recur in every document
def format_path(path: Path) -> str:
    """``render_path``, cached, for the fields of findings and hits, which hold no ``Key``.

    A path holding a Key compares equal to its plain twin, so the two would share a cache
    entry: render those with ``render_path``.
    """
    return render_path(path)


_SEVERITY_NAMES = {level: str(level) for level in Severity}
_severity_of = attrgetter("severity")
_SEVERITY_COLUMN = COLUMNS.index("severity")


@dataclass
class Summary:
    """Counts for the one-line summary and the machine-readable reports."""

    files: int = 0
    documents: int = 0
    jobs: int = 0
    cronjobs: int = 0
    skipped: int = 0  # objects of other kinds
    io_errors: int = 0  # files that could not be read (exit code 2)
    internal_errors: int = 0  # bugs of jobcheck met, each contained to its file (exit code 2; not in as_dict)
    by_severity: dict = record.field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})

    def add(self, finding: Finding) -> None:
        self.add_all([finding])

    def add_all(self, findings: list[Finding]) -> None:
        """``add`` each finding of a batch."""
        self._count(list(map(_severity_of, findings)))

    def add_columns(self, found: Columns) -> None:
        """``add`` each finding of ``found`` (its severity column)."""
        self._count(found.columns[_SEVERITY_COLUMN])

    def _count(self, levels: Sequence[int]) -> None:
        # One count per level, in C: a dict keyed by Severity, an Enum, would hash it in Python per finding.
        for level, name in _SEVERITY_NAMES.items():
            self.by_severity[name] += levels.count(int(level))

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "documents": self.documents,
            "jobs": self.jobs,
            "cronjobs": self.cronjobs,
            "skipped_objects": self.skipped,
            "io_errors": self.io_errors,
            "findings": dict(self.by_severity),
        }
