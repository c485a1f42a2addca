"""Rule metadata as read from one rules/*.yaml file."""

from __future__ import annotations

from jobcheck import record
from jobcheck.finding import Severity
from jobcheck.record import dataclass

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class Rule:
    """One rule's metadata and check, as read from its rules/*.yaml file (a jobcheck.record)."""

    id: str  # JC306
    name: str  # concurrency-allow
    severity: Severity
    category: str
    enabled: bool  # on by default
    summary: str  # one-line fragment, no trailing period
    what: str = ""  # What it does
    why: str = ""  # Why is this bad?
    bad: str = ""  # example that triggers the rule
    good: str = ""  # example that does not
    fix: str = ""  # how to fix, full sentences
    fix_safety: str = "none"  # safe | unsafe | none (whether --fix can repair it)
    fixer: str | None = None  # "module:function" that --fix calls; set exactly when fix_safety is not none
    references: tuple = ()
    params: dict = record.field(default_factory=dict)
    check: Any = None  # the raw check spec (see jobcheck.lint.registry)
    hides: tuple = ()  # ids of rules whose hits at the places this rule reports are dropped
    skip_owned_by: tuple = ()  # owner kinds (ownerReferences) whose objects the rule leaves alone
    partial: str = "check"  # check | skip: whether the rule runs on a partial object (a kustomize patch)
    source: str = ""  # the file it came from
    # In the correctness selection (`--select correctness`): the API server or a controller refuses
    # or mis-runs what the rule reports, as opposed to a practice a team may choose not to follow.
    correctness: bool = False
    severity_reason: str = ""  # why the rule has its default severity (rule docs)

    @property
    def help_uri(self) -> str:
        return f"https://github.com/jobcheck/jobcheck/blob/main/docs/rules.md#{self.id.lower()}-{self.name}"
