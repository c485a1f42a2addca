"""Recognise Jobs and CronJobs, and give checks the nested specs with their paths.

A CronJob's job template is resolved once here, so every job-spec, pod-spec and
container check applies equally to a Job and to a CronJob's jobTemplate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from jobcheck.finding import Key, Path
from jobcheck.record import dataclass, field
from jobcheck.redact import looks_secret

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any

BATCH_KINDS = ("Job", "CronJob")
# Metadata fields only the API server writes: an object carrying one was read from a cluster.
# Pod template labels the server adds to a Job without manualSelector (from its UID and name).
GENERATED_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name")
SERVER_METADATA = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "selfLink", "generation")

class cached_property:  # noqa: N801 - named after the functools one it replaces
    """functools.cached_property without its lock (Python < 3.12 takes an RLock on every first
    access, a measurable cost for five properties of every object linted). The value lands in
    the instance dict, which shadows this non-data descriptor from then on."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


@dataclass(slots=True, eq=False)  # one per container of every object: kept cheap to build
class Container:
    data: dict
    path: Path  # absolute path of the container mapping
    init: bool  # an initContainers entry
    # What checks derive from the container and several of them read (its argv, say), computed once.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        name = self.data.get("name")
        return name if isinstance(name, str) else ""


@dataclass
class Workload:
    """One Job or CronJob object of a document, with the paths of its parts.

    All paths are absolute within the document, so an item of a ``kind: List``
    carries the ``("items", i)`` prefix.
    """

    kind: str
    data: dict
    path: Path
    # How the run looks at it: the Kubernetes version validated for (None: the newest bundled),
    # strict field validation, and the instant schedules are looked ahead from (None: the
    # current minute).
    kubernetes_version: str | None = None
    strict: bool = True
    now: datetime | None = None
    # A kustomize patch: a partial object, whose absent fields the base supplies.
    partial: bool = False
    # Analyses that several rules read (the schema verdict, say), computed once.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property  # the data never changes while it is linted
    def metadata(self) -> dict:
        return _mapping(self.data.get("metadata"))

    @property
    def name(self) -> str:
        name = self.metadata.get("name")
        return name if isinstance(name, str) else ""

    @cached_property
    def shown_name(self) -> str:
        """The name as findings may print it: hidden when it looks like a credential (a URL
        with user info in ``metadata.name``), see jobcheck.redact."""
        return "(name not shown: it may be a credential)" if looks_secret(self.name) else self.name

    @property
    def display_name(self) -> str:
        """How messages name the object: its name, ``prefix-*`` when only ``generateName`` gives
        one (the API server appends a random suffix), else "(unnamed)"."""
        if self.name:
            return self.shown_name
        prefix = self.metadata.get("generateName")
        return f"{prefix}*" if isinstance(prefix, str) and prefix else "(unnamed)"

    @cached_property  # every finding of the object names it
    def namespace(self) -> str:
        ns = self.metadata.get("namespace")
        return ns if isinstance(ns, str) else ""

    @cached_property
    def live(self) -> bool:
        """Whether the object was read from a cluster (``kubectl get -o yaml``): its metadata holds
        a field only the server writes, or it has a ``status``."""
        meta = self.metadata
        return self.data.get("status") is not None or any(meta.get(k) is not None for k in SERVER_METADATA)

    @property
    def uid(self) -> str | None:
        """The server-assigned ``metadata.uid`` of a live object; None when there is none."""
        uid = self.metadata.get("uid")
        return uid if isinstance(uid, str) and uid else None

    @cached_property
    def owner_kinds(self) -> frozenset[str]:
        """The kinds named by ``metadata.ownerReferences`` (a CronJob's Jobs name CronJob)."""
        refs = self.metadata.get("ownerReferences")
        if not isinstance(refs, list):
            return frozenset()
        return frozenset(r["kind"] for r in refs if isinstance(r, dict) and isinstance(r.get("kind"), str))

    def server_written(self) -> list[Path]:
        """The fields of a live object that the server wrote, relative to the object: the system
        metadata, ``status``, and for a Job without manualSelector the selector and pod template
        labels generated from its UID and name."""
        out: list[Path] = [("metadata", k) for k in SERVER_METADATA if self.metadata.get(k) is not None]
        if self.kind == "Job" and self.job_spec.get("manualSelector") is not True:
            if isinstance(self.job_spec.get("selector"), dict):
                out.append(("spec", "selector"))
            labels = _mapping(_mapping(self.template.get("metadata")).get("labels"))
            out.extend(("spec", "template", "metadata", "labels", Key(key))
                       for key in GENERATED_LABELS if key in labels)
        if self.data.get("status") is not None:
            out.append(("status",))
        return out

    @property
    def api_version(self) -> Any:
        return self.data.get("apiVersion")

    @cached_property
    def cronjob_spec(self) -> dict | None:
        """The CronJob's ``spec``; None for a Job."""
        return _mapping(self.data.get("spec")) if self.kind == "CronJob" else None

    @property
    def cronjob_spec_path(self) -> Path:
        return self.path + ("spec",)

    @property
    def job_spec_path(self) -> Path:
        if self.kind == "CronJob":
            return self.path + ("spec", "jobTemplate", "spec")
        return self.path + ("spec",)

    @cached_property
    def job_spec(self) -> dict:
        """The job spec: ``spec`` of a Job, ``spec.jobTemplate.spec`` of a CronJob ({} if absent)."""
        spec = _mapping(self.data.get("spec"))
        if self.kind == "CronJob":
            spec = _mapping(_mapping(spec.get("jobTemplate")).get("spec"))
        return spec

    @property
    def template_path(self) -> Path:
        return self.job_spec_path + ("template",)

    @cached_property
    def template(self) -> dict:
        return _mapping(self.job_spec.get("template"))

    @property
    def pod_spec_path(self) -> Path:
        return self.template_path + ("spec",)

    @cached_property
    def pod_spec(self) -> dict:
        return _mapping(self.template.get("spec"))

    def containers(self, init: bool = True) -> Iterator[Container]:
        """Yield the pod's containers, then (if ``init``) its init containers."""
        return iter(self._all_containers if init else self._app_containers)

    @cached_property
    def _app_containers(self) -> tuple[Container, ...]:
        return self._group("containers")

    @cached_property
    def _all_containers(self) -> tuple[Container, ...]:
        return self._app_containers + self._group("initContainers")

    def _group(self, group: str) -> tuple[Container, ...]:
        items = self.pod_spec.get(group)
        if not isinstance(items, list):
            return ()
        base = self.pod_spec_path + (group,)
        init = group == "initContainers"
        return tuple(Container(item, base + (i,), init) for i, item in enumerate(items) if isinstance(item, dict))

    def get(self, path: Path, default: Any = None) -> Any:
        """Return the value at the absolute ``path`` (must start with this object's path)."""
        return get_in(self.data, path[len(self.path):], default)


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def get_in(data: Any, rel: Path, default: Any = None) -> Any:
    """Walk ``rel`` (keys and indexes) into ``data``; ``default`` when any step is missing."""
    cur = data
    for elem in rel:
        if isinstance(elem, int):
            if not isinstance(cur, list) or not -len(cur) <= elem < len(cur):
                return default
            cur = cur[elem]
        else:
            if not isinstance(cur, dict) or elem not in cur:
                return default
            cur = cur[elem]
    return cur


def is_kube_object(data: Any) -> bool:
    """Whether a document is a Kubernetes object at all: a mapping with apiVersion and kind.

    Other documents in YAML or JSON files (playbooks, patches, helm values that happen to hold a
    ``kind: CronJob`` key, workflows, compose files) are not manifests, and not ours to lint.
    """
    return (isinstance(data, dict) and isinstance(data.get("apiVersion"), str)
            and isinstance(data.get("kind"), str))


def is_batch_object(obj: dict) -> bool:
    """A Job or CronJob of the batch API group.

    A custom resource that reuses the kind (``batch.tutorial.kubebuilder.io/v1`` CronJob) is
    not ours; a missing or core ``apiVersion`` is still a batch object written wrongly.
    """
    if obj.get("kind") not in BATCH_KINDS:
        return False
    api = obj.get("apiVersion")
    return not (isinstance(api, str) and "/" in api and api.split("/", 1)[0] != "batch")


def iter_workloads(data: Any) -> Iterator[Workload]:
    """Yield the Jobs and CronJobs in a document's data (the object itself or List items)."""
    for obj, path in iter_objects(data):
        if is_batch_object(obj):
            yield Workload(obj["kind"], obj, path)


def iter_objects(data: Any) -> Iterator[tuple[dict, Path]]:
    """Yield every Kubernetes object in a document: the document, or each item of a ``*List``."""
    if not isinstance(data, dict):
        return
    kind = data.get("kind")
    items = data.get("items")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield from ((obj, ("items", i) + p) for obj, p in iter_objects(item))
        return
    yield data, ()
