"""``ValidateVolumeMounts`` beyond names and paths (pod.py), and ``ValidateVolumeDevices``:
mounts against block devices, subPath and subPathExpr, mountPropagation (Bidirectional needs a
privileged container) and recursiveReadOnly (from RecursiveReadOnlyMounts, 1.31).

The server names the list, not the item, in the path of the subPath, subPathExpr,
mountPropagation and recursiveReadOnly errors (``volumeMounts.subPath``); the finding still
sits on the item's field.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.values import as_list, as_map

_MOUNT_DETAIL_KEYS = frozenset(("subPath", "subPathExpr", "mountPropagation", "recursiveReadOnly"))
MOUNT_PROPAGATIONS = ("Bidirectional", "HostToContainer", "None")  # sorted
RECURSIVE_READ_ONLY = ("Disabled", "Enabled", "IfPossible")  # sorted
_BLOCK_SOURCES = ("persistentVolumeClaim", "ephemeral")


def text(value: object) -> str | None:
    """A string field as the server reads it: absent or null is "", another type is None."""
    if value is None:
        return ""
    return value if isinstance(value, str) else None


def validate_mounts_and_devices(
    rep: m.Reporter, ctr: dict, cp: tuple, spec: dict, volumes: set[str], version: tuple[int, int]
) -> None:
    """``volumes`` holds the names of the volumes the server accepted."""
    devices = as_list(ctr.get("volumeDevices"))
    mounts = as_list(ctr.get("volumeMounts"))
    if devices:
        dict_mounts = [mt for mt in mounts if isinstance(mt, dict)]
        _validate_devices(rep, devices, dict_mounts, cp + ("volumeDevices",), spec, volumes)
    else:
        for mount in mounts:
            if type(mount) is dict and not _MOUNT_DETAIL_KEYS.isdisjoint(mount):
                break
        else:
            return  # the common case: names and paths only, checked in pod.py
    if mounts:
        _validate_mount_details(rep, ctr, devices, cp + ("volumeMounts",), version)


def _descending_path(rep: m.Reporter, value: str, server_path: tuple, at: tuple, what: str) -> None:
    """``validateLocalDescendingPath`` (the server names the list, not the item, in the path)."""
    if value.startswith("/"):
        rep.add(
            server_path,
            m.invalid(value, "must be a relative path"),
            f"Make {what} a path relative to the volume.",
            at=at,
        )
    if ".." in value.split("/"):
        rep.add(server_path, m.invalid(value, "must not contain '..'"), f"Remove '..' from {what}.", at=at)


def _validate_mount_details(
    rep: m.Reporter, ctr: dict, devices: list, mp: tuple, version: tuple[int, int]
) -> None:
    device_names = {text(d.get("name")) for d in devices if isinstance(d, dict)}
    device_paths = {text(d.get("devicePath")) for d in devices if isinstance(d, dict)}
    rro = f.gate_on("RecursiveReadOnlyMounts", version)
    privileged = as_map(ctr.get("securityContext")).get("privileged") is True
    for i, mount in enumerate(as_list(ctr.get("volumeMounts"))):
        if not isinstance(mount, dict):
            continue
        ip = mp + (i,)
        if devices:
            name = text(mount.get("name"))
            if name is not None and name in device_names:
                rep.add(
                    ip + ("name",),
                    m.invalid(name, "must not already exist in volumeDevices"),
                    "Use a volume either as a mount or as a block device of the container, not both.",
                )
            path = text(mount.get("mountPath"))
            if path is not None and path in device_paths:
                rep.add(
                    ip + ("mountPath",),
                    m.invalid(path, "must not already exist as a path in volumeDevices"),
                    "Use a mountPath that no volumeDevice of the container uses.",
                )
        if _MOUNT_DETAIL_KEYS.isdisjoint(mount):
            continue
        sub = mount.get("subPath")
        sub = sub if isinstance(sub, str) else ""
        if sub:
            _descending_path(rep, sub, mp + ("subPath",), ip + ("subPath",), "subPath")
        expr = mount.get("subPathExpr")
        if isinstance(expr, str) and expr:
            if sub:
                rep.add(
                    ip + ("subPathExpr",),
                    m.invalid(expr, "subPathExpr and subPath are mutually exclusive"),
                    "Keep either subPath or subPathExpr on the mount, not both.",
                )
            _descending_path(rep, expr, mp + ("subPathExpr",), ip + ("subPathExpr",), "subPathExpr")
        propagation = mount.get("mountPropagation")
        if isinstance(propagation, str):
            if propagation not in MOUNT_PROPAGATIONS:
                rep.add(
                    mp + ("mountPropagation",),
                    m.not_supported(propagation, MOUNT_PROPAGATIONS),
                    "Set mountPropagation to None, HostToContainer or Bidirectional.",
                    at=ip + ("mountPropagation",),
                )
            elif propagation == "Bidirectional" and not privileged:
                rep.add(
                    mp + ("mountPropagation",),
                    m.forbidden("Bidirectional mount propagation is available only to privileged containers"),
                    "Use HostToContainer propagation, or run the container privileged.",
                    at=ip + ("mountPropagation",),
                )
        recursive = mount.get("recursiveReadOnly")
        if rro and isinstance(recursive, str):
            _validate_recursive_read_only(
                rep, mount, recursive, mp + ("recursiveReadOnly",), ip + ("recursiveReadOnly",)
            )


def _validate_recursive_read_only(rep: m.Reporter, mount: dict, value: str, path: tuple, at: tuple) -> None:
    if value == "Disabled":
        return
    if value not in RECURSIVE_READ_ONLY:
        rep.add(
            path,
            m.not_supported(value, RECURSIVE_READ_ONLY),
            "Set recursiveReadOnly to Disabled, IfPossible or Enabled.",
            at=at,
        )
        return
    if mount.get("readOnly") is not True:
        rep.add(
            path,
            m.forbidden("may only be specified when readOnly is true"),
            "Set readOnly: true on the mount, or remove recursiveReadOnly.",
            at=at,
        )
    propagation = mount.get("mountPropagation")
    if propagation is not None and propagation != "None":
        rep.add(
            path,
            m.forbidden("may only be specified when mountPropagation is None or not specified"),
            "Remove mountPropagation (or set it to None) on a recursively read-only mount.",
            at=at,
        )


def _validate_devices(
    rep: m.Reporter, devices: list, mounts: list, dp: tuple, spec: dict, volumes: set[str]
) -> None:
    """``ValidateVolumeDevices``: ``volumes`` holds the names of the volumes the server accepted."""
    block = {
        text(vol.get("name"))
        for vol in as_list(spec.get("volumes"))
        if isinstance(vol, dict) and any(vol.get(k) is not None for k in _BLOCK_SOURCES)
    }
    mount_paths: dict = {}
    for mount in mounts:  # GetVolumeMountMap: the last mount of a name wins
        mount_name = text(mount.get("name"))
        if mount_name is not None:
            mount_paths[mount_name] = text(mount.get("mountPath"))
    names: set = set()
    paths: set = set()
    fix_name = "Name a persistentVolumeClaim or ephemeral volume of the pod template."
    for index, raw in enumerate(devices):
        if not isinstance(raw, dict):
            continue
        ip = dp + (index,)
        name = text(raw.get("name"))
        path = text(raw.get("devicePath"))
        if name is None or path is None:
            continue  # a wrong type: the schema layer reports it
        if not name:
            rep.add(ip + ("name",), m.required(), fix_name)
        if name in names:
            rep.add(
                ip + ("name",),
                m.invalid(name, "must be unique"),
                "Give each volumeDevice of the container its own volume.",
            )
        if name in volumes:
            if name not in block:
                rep.add(
                    ip + ("name",),
                    m.invalid(
                        name,
                        "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
                    ),
                    fix_name,
                )
        else:
            rep.add(ip + ("name",), m.not_found(name), fix_name)
        if not path:
            rep.add(ip + ("devicePath",), m.required(), "Set the devicePath, such as /dev/xvda.")
        if path in paths:
            rep.add(
                ip + ("devicePath",),
                m.invalid(path, "must be unique"),
                "Give each volumeDevice its own devicePath.",
            )
        if path and ".." in path.split("/"):
            rep.add(
                ip + ("devicePath",),
                m.invalid(path, "can not contain backsteps ('..')"),
                "Remove '..' from the devicePath.",
            )
        else:
            paths.add(path)
        if name in mount_paths:
            rep.add(
                ip + ("name",),
                m.invalid(name, "must not already exist in volumeMounts"),
                "Use a volume either as a mount or as a block device of the container, not both.",
            )
        if path in mount_paths.values():
            rep.add(
                ip + ("devicePath",),
                m.invalid(path, "must not already exist as a path in volumeMounts"),
                "Use a devicePath that no volumeMount of the container uses.",
            )
        if name:
            names.add(name)
