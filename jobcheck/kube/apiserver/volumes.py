"""Pod volumes: ``ValidateVolumes`` and the per-type rules of ``validateVolumeSource``.

Ported for the volume types real Job manifests use: emptyDir, hostPath, secret, configMap,
persistentVolumeClaim, nfs, downwardAPI, projected (secret, configMap, downwardAPI and
serviceAccountToken sources), csi and ephemeral (the basics of its claim template). Every
type counts towards "exactly one source"; the in-tree cloud types and the projected
clusterTrustBundle are not checked further; image volumes are dropped before their gate. A volume with any error is left out of the
names that volume mounts may use, as the server does.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.metadata import validate_annotations, validate_labels
from jobcheck.kube.apiserver.names import is_dns1123_label, is_dns1123_subdomain
from jobcheck.kube.apiserver.quantity import QuantityError, quantity_from_yaml
from jobcheck.kube.values import as_int, as_list, as_map

FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
MORE_THAN_ONE = "may not specify more than 1 volume type"

# (manifest key, the name the server prints when the source is one too many), in the order in
# which validateVolumeSource counts them. Two names differ from the key: the server's own.
_SOURCES = (
    ("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"), ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"), ("nfs", "nfs"), ("iscsi", "iscsi"), ("glusterfs", "glusterfs"),
    ("flocker", "flocker"), ("persistentVolumeClaim", "persistentVolumeClaim"), ("rbd", "rbd"),
    ("cinder", "cinder"), ("cephfs", "cephFS"), ("quobyte", "quobyte"), ("downwardAPI", "downwarAPI"),
    ("fc", "fc"), ("flexVolume", "flexVolume"), ("configMap", "configMap"), ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"), ("storageos", "storageos"),
    ("projected", "projected"), ("scaleIO", "scaleIO"), ("csi", "csi"), ("ephemeral", "ephemeral"),
    ("image", "image"),
)  # fmt: skip
# A volume with no source at all is defaulted to emptyDir (SetDefaults_Volume), so "must specify
# a volume type" cannot happen from a manifest. Before the ImageVolume gate is on, a volume with
# an image source is dropped with its mounts (dropImageVolumes): it is not validated at all.
PULL_POLICIES = ("Always", "IfNotPresent", "Never")  # sorted
HOST_PATH_TYPES = (
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
)  # fmt: skip  (sets.List: sorted)
ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")  # sorted
FIX_PATH = "Use a relative path inside the volume, without '..' elements."


def validate_volumes(rep: m.Reporter, volumes: object, vp: tuple, version: tuple[int, int]) -> set[str]:
    """Report volume errors; return the names of the volumes the server accepts (or drops, with
    the mounts that name them: image volumes before the ImageVolume gate is on)."""
    valid: set[str] = set()
    dropped: set[str] = set()
    images = f.gate_on("ImageVolume", version)
    for i, vol in enumerate(as_list(volumes)):
        if not isinstance(vol, dict):
            continue
        if not images and vol.get("image") is not None:  # dropImageVolumes
            if isinstance(vol.get("name"), str):
                dropped.add(vol["name"])
            continue
        path = vp + (i,)
        before = len(rep.hits)
        _validate_source(rep, vol, path)
        name = vol.get("name")
        if not isinstance(name, str) and name is not None:
            continue
        if not name:
            rep.add(path + ("name",), m.required(), "Give the volume a name.")
        else:
            for msg in is_dns1123_label(name):
                rep.add(
                    path + ("name",),
                    m.invalid(name, msg),
                    "Use a DNS-1123 label as the volume name: at most 63 lowercase letters, digits and '-'.",
                )
            if name in valid:
                rep.add(path + ("name",), m.duplicate(name), "Give every volume a unique name.")
        if len(rep.hits) == before:  # a volume with any error is not offered to mounts
            valid.add(name)
    return valid | dropped if dropped else valid


_SOURCE_ORDER = {key: (i, server) for i, (key, server) in enumerate(_SOURCES)}


def _validate_source(rep: m.Reporter, vol: dict, path: tuple) -> None:
    present = [k for k in vol if k in _SOURCE_ORDER and vol[k] is not None]  # usually one
    if len(present) > 1:
        present.sort(key=lambda k: _SOURCE_ORDER[k][0])  # the server's order decides which is extra
    for n, key in enumerate(present):
        if n:
            rep.add(
                path + (_SOURCE_ORDER[key][1],),
                m.forbidden(MORE_THAN_ONE),
                "Give the volume exactly one source: split it into two volumes.",
                at=path + (key,),
            )
            continue
        source = vol[key]
        if isinstance(source, dict):
            check = _CHECKS.get(key)
            if check is not None:
                check(rep, source, path + (key,))


def _required(rep: m.Reporter, source: dict, key: str, sp: tuple, fix: str) -> bool:
    value = source.get(key)
    if value is None or value == "":
        rep.add(sp + (key,), m.required(), fix)
        return True
    return False


def _mode(rep: m.Reporter, source: dict, key: str, path: tuple, at: tuple | None = None) -> None:
    mode = as_int(source.get(key))
    if mode is not None and not 0 <= mode <= 0o777:
        rep.add(
            path,
            m.invalid(mode, FILE_MODE_ERROR),
            f"Set {key} to a file mode between 0 and 0777 octal (511 decimal); write it as 0644 "
            "(octal in YAML 1.1) or 420, not 644.",
            at=at,
        )


def _no_backsteps(rep: m.Reporter, value: str, path: tuple, at: tuple | None = None) -> None:
    if ".." in value.split("/"):
        rep.add(path, m.invalid(value, "must not contain '..'"), FIX_PATH, at=at)


def _local_non_reserved(rep: m.Reporter, value: str, path: tuple, at: tuple | None = None) -> None:
    """``ValidateLocalNonReservedPath``."""
    if value.startswith("/"):
        rep.add(path, m.invalid(value, "must be a relative path"), FIX_PATH, at=at)
    _no_backsteps(rep, value, path, at)
    if value.startswith("..") and not value.startswith("../"):
        rep.add(path, m.invalid(value, "must not start with '..'"), FIX_PATH, at=at)


def _key_to_path(rep: m.Reporter, item: dict, ip: tuple) -> None:
    _required(rep, item, "key", ip, "Name the key to project.")
    _required(rep, item, "path", ip, "Give the file a relative path.")
    target = item.get("path")
    if isinstance(target, str):
        _local_non_reserved(rep, target, ip + ("path",))
    _mode(rep, item, "mode", ip + ("mode",))


def _items(rep: m.Reporter, source: dict, sp: tuple) -> None:
    for j, item in enumerate(as_list(source.get("items"))):
        if isinstance(item, dict):
            _key_to_path(rep, item, sp + ("items", j))


def _empty_dir(rep: m.Reporter, source: dict, sp: tuple) -> None:
    raw = source.get("sizeLimit")
    if raw is None:
        return
    try:
        q = quantity_from_yaml(raw)
    except QuantityError:
        return  # not a quantity: the server cannot decode the manifest
    if q is not None and q.negative:
        rep.add(
            sp + ("sizeLimit",),
            m.forbidden("SizeLimit field must be a valid resource quantity"),
            "Set sizeLimit to a non-negative quantity, such as 1Gi.",
        )


def _host_path(rep: m.Reporter, source: dict, sp: tuple) -> None:
    if _required(rep, source, "path", sp, "Set the path on the node."):
        return
    target = source.get("path")
    if isinstance(target, str):
        _no_backsteps(rep, target, sp + ("path",))
    kind = source.get("type")
    if isinstance(kind, str) and kind not in HOST_PATH_TYPES:
        rep.add(
            sp + ("type",),
            m.not_supported(kind, HOST_PATH_TYPES),
            "Set type to one of Directory, DirectoryOrCreate, File, FileOrCreate, Socket, CharDevice, "
            "BlockDevice, or leave it out.",
        )


def _secret(rep: m.Reporter, source: dict, sp: tuple) -> None:
    _required(rep, source, "secretName", sp, "Name the Secret to mount.")
    _mode(rep, source, "defaultMode", sp + ("defaultMode",))
    _items(rep, source, sp)


def _config_map(rep: m.Reporter, source: dict, sp: tuple) -> None:
    _required(rep, source, "name", sp, "Name the ConfigMap to mount.")
    _mode(rep, source, "defaultMode", sp + ("defaultMode",))
    _items(rep, source, sp)


def _pvc(rep: m.Reporter, source: dict, sp: tuple) -> None:
    _required(rep, source, "claimName", sp, "Name the PersistentVolumeClaim to mount.")


def _nfs(rep: m.Reporter, source: dict, sp: tuple) -> None:
    _required(rep, source, "server", sp, "Set the NFS server's host name or IP address.")
    _required(rep, source, "path", sp, "Set the exported path.")
    target = source.get("path")
    if target is None or isinstance(target, str):
        target = target or ""
        if not target.startswith("/"):
            rep.add(
                sp + ("path",), m.invalid(target, "must be an absolute path"), "Write the export as /path."
            )
            if "path" not in source:
                rep.hits[-1].absent = True  # a kustomize patch may leave the path to its base


def _downward_file(rep: m.Reporter, item: dict, fp: tuple, ip: tuple) -> None:
    """``validateDownwardAPIVolumeFile``: the server prints the source's path, not the item's."""
    target = item.get("path")
    if target is None or target == "":
        rep.add(fp + ("path",), m.required(), "Give the file a relative path.", at=ip + ("path",))
    elif isinstance(target, str):
        _local_non_reserved(rep, target, fp + ("path",), at=ip + ("path",))
    field_ref, resource_ref = item.get("fieldRef"), item.get("resourceFieldRef")
    if field_ref is not None:
        if isinstance(field_ref, dict):
            _field_ref(rep, field_ref, fp + ("fieldRef",), ip + ("fieldRef",))
        if resource_ref is not None:
            rep.add(
                fp,
                m.invalid("resource", "fieldRef and resourceFieldRef can not be specified simultaneously"),
                "Give the file either fieldRef or resourceFieldRef.",
                at=ip,
            )
    elif isinstance(resource_ref, dict):
        _resource_field_ref(rep, resource_ref, fp + ("resourceFieldRef",), ip + ("resourceFieldRef",))
    elif resource_ref is None:
        rep.add(
            fp,
            m.required("one of fieldRef and resourceFieldRef is required"),
            "Give the file a fieldRef (metadata.labels, ...) or a resourceFieldRef.",
            at=ip,
        )
    _mode(rep, item, "mode", fp + ("mode",), at=ip + ("mode",))


# validVolumeDownwardAPIFieldPathExpressions (sorted), and the other paths the v1 downward API
# converts (ConvertDownwardAPIFieldLabel) that a volume may not use; status.hostIPs is left out
# (convertible only once PodHostIPs is on: before, another message).
VOLUME_FIELD_PATHS = (
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
)
_ENV_ONLY_FIELD_PATHS = frozenset(
    ("spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase",
     "status.hostIP", "status.podIP", "status.podIPs")
)  # fmt: skip
# validContainerResourceFieldPathExpressions (sorted); hugepages resources are allowed by prefix.
RESOURCE_FIELD_PATHS = (
    "limits.cpu", "limits.ephemeral-storage", "limits.memory",
    "requests.cpu", "requests.ephemeral-storage", "requests.memory",
)  # fmt: skip


def _field_ref(rep: m.Reporter, ref: dict, rp: tuple, at: tuple) -> None:
    """``validateObjectFieldSelector`` with the volume's paths (subscripted paths are not checked)."""
    if ref.get("apiVersion") not in (None, "", "v1"):
        return
    path = ref.get("fieldPath")
    if path is None or path == "":
        rep.add(
            rp + ("fieldPath",),
            m.required(),
            "Set fieldPath, such as metadata.labels.",
            at=at + ("fieldPath",),
        )
    elif isinstance(path, str) and path in _ENV_ONLY_FIELD_PATHS:
        rep.add(
            rp + ("fieldPath",),
            m.not_supported(path, VOLUME_FIELD_PATHS),
            "A downwardAPI volume offers only the pod's name, namespace, uid, labels and annotations; use an "
            "environment variable for the other fields.",
            at=at + ("fieldPath",),
        )


def _resource_field_ref(rep: m.Reporter, ref: dict, rp: tuple, at: tuple) -> None:
    """``validateContainerResourceFieldSelector`` for a volume: containerName is required there."""
    name, resource = ref.get("containerName"), ref.get("resource")
    if name is None or name == "":
        rep.add(
            rp + ("containerName",),
            m.required(),
            "Name the container whose resources the file shows.",
            at=at + ("containerName",),
        )
    elif resource is None or resource == "":
        rep.add(
            rp + ("resource",), m.required(), "Set resource, such as limits.memory.", at=at + ("resource",)
        )
    elif (
        isinstance(resource, str)
        and resource not in RESOURCE_FIELD_PATHS
        and not resource.startswith(("limits.hugepages-", "requests.hugepages-"))
    ):
        rep.add(
            rp + ("resource",),
            m.not_supported(resource, RESOURCE_FIELD_PATHS),
            "Use limits.cpu, limits.memory, limits.ephemeral-storage or the requests of the same.",
            at=at + ("resource",),
        )


def _downward_api(rep: m.Reporter, source: dict, sp: tuple) -> None:
    _mode(rep, source, "defaultMode", sp + ("defaultMode",))
    for j, item in enumerate(as_list(source.get("items"))):
        if isinstance(item, dict):
            _downward_file(rep, item, sp, sp + ("items", j))


def _projected_path(rep: m.Reporter, item: dict, seen: set[str], shown: str | None, sp: tuple, ip: tuple) -> None:
    """A projected file's path must be unique in the volume. The server prints the source's name
    for a secret or configMap item (``shown``), the path itself for a downwardAPI item (None)."""
    target = item.get("path")
    if not isinstance(target, str) or not target:
        return
    if target in seen:
        rep.add(
            sp,
            m.invalid(target if shown is None else shown, "conflicting duplicate paths"),
            "Give every projected file its own path.",
            at=ip + ("path",),
        )
    seen.add(target)


_PROJECTED_KINDS = ("secret", "configMap", "downwardAPI", "serviceAccountToken")
MAX_TOKEN_SECONDS = 1 << 32


def _projected(rep: m.Reporter, source: dict, sp: tuple) -> None:
    _mode(rep, source, "defaultMode", sp + ("defaultMode",))
    seen: set[str] = set()
    for i, src in enumerate(as_list(source.get("sources"))):
        if not isinstance(src, dict):
            continue
        srcp = sp + ("sources", i)
        count = 0
        for kind in ("secret", "configMap"):
            proj = src.get(kind)
            if proj is None:
                continue
            count += 1
            proj = as_map(proj)
            _required(rep, proj, "name", srcp + (kind,), f"Name the {kind[0].upper() + kind[1:]} to project.")
            name = proj.get("name") if isinstance(proj.get("name"), str) else ""
            for j, item in enumerate(as_list(proj.get("items"))):
                if not isinstance(item, dict):
                    continue
                ip = srcp + (kind, "items", j)
                _key_to_path(rep, item, ip)
                _projected_path(rep, item, seen, name, sp, ip)
        downward = src.get("downwardAPI")
        if downward is not None:
            count += 1
            for j, item in enumerate(as_list(as_map(downward).get("items"))):
                if not isinstance(item, dict):
                    continue
                ip = srcp + ("downwardAPI", "items", j)
                _downward_file(rep, item, srcp + ("downwardAPI",), ip)
                _projected_path(rep, item, seen, None, sp, ip)
        token = src.get("serviceAccountToken")
        if token is not None:
            count += 1
            _token(rep, as_map(token), sp, srcp + ("serviceAccountToken",))
        if count > 1:
            rep.add(
                srcp,
                m.forbidden("may not specify more than 1 volume type per source"),
                "Give each projected source exactly one of secret, configMap, downwardAPI or "
                "serviceAccountToken.",
            )


def _token(rep: m.Reporter, token: dict, sp: tuple, tp: tuple) -> None:
    seconds = token.get("expirationSeconds")
    seconds = 3600 if seconds is None else as_int(seconds)  # the server's default
    if seconds is not None:
        if seconds < 600:
            rep.add(
                tp + ("expirationSeconds",),
                m.invalid(seconds, "may not specify a duration less than 10 minutes"),
                "Set expirationSeconds to at least 600.",
            )
        if seconds > MAX_TOKEN_SECONDS:
            rep.add(
                tp + ("expirationSeconds",),
                m.invalid(seconds, "may not specify a duration larger than 2^32 seconds"),
                "Set expirationSeconds to at most 4294967296.",
            )
    target = token.get("path")
    if target is None or target == "":
        rep.add(sp + ("path",), m.required(), "Give the token file a relative path.", at=tp + ("path",))
    elif isinstance(target, str):
        _local_non_reserved(rep, target, sp + ("path",), at=tp + ("path",))


def _csi(rep: m.Reporter, source: dict, sp: tuple) -> None:
    driver = source.get("driver")
    if driver is None or isinstance(driver, str):
        driver = driver or ""
        fix = "Set driver to the CSI driver's name, a DNS subdomain of at most 63 characters."
        if not driver:
            rep.add(sp + ("driver",), m.required(), fix)
        if len(driver) > 63:
            rep.add(sp + ("driver",), m.too_long(63), fix)
        for msg in is_dns1123_subdomain(driver.lower()):
            rep.add(sp + ("driver",), m.invalid(driver, msg), fix)
    ref = source.get("nodePublishSecretRef")
    if isinstance(ref, dict):
        name = ref.get("name")
        if name is None or name == "":
            rep.add(sp + ("nodePublishSecretRef", "name"), m.required(), "Name the Secret.")
        elif isinstance(name, str):
            for msg in is_dns1123_subdomain(name):
                rep.add(
                    sp + ("name",),
                    m.invalid(name, msg),
                    "Name the Secret with a DNS-1123 subdomain.",
                    at=sp + ("nodePublishSecretRef", "name"),
                )


# ObjectMeta fields a claim template may not set (validateFieldAllowList: only labels and
# annotations), with the name the server prints (the Go field name, first letter lowered).
_TEMPLATE_META_FORBIDDEN = (
    ("name", "name"), ("generateName", "generateName"), ("namespace", "namespace"), ("uid", "uID"),
    ("resourceVersion", "resourceVersion"), ("generation", "generation"),
    ("deletionGracePeriodSeconds", "deletionGracePeriodSeconds"), ("ownerReferences", "ownerReferences"),
    ("finalizers", "finalizers"),
)  # fmt: skip
VOLUME_MODES = ("Block", "Filesystem")  # sorted


def _ephemeral(rep: m.Reporter, source: dict, sp: tuple) -> None:
    template = source.get("volumeClaimTemplate")
    if template is None:
        rep.add(
            sp + ("volumeClaimTemplate",), m.required(), "Add a volumeClaimTemplate with the claim's spec."
        )
        return
    template = as_map(template)
    mp = sp + ("volumeClaimTemplate", "metadata")
    meta = template.get("metadata")
    if isinstance(meta, dict) and meta:
        validate_annotations(rep, meta.get("annotations"), mp + ("annotations",), mp + ("annotations",))
        validate_labels(rep, meta.get("labels"), mp + ("labels",), mp + ("labels",))
        for key, server in _TEMPLATE_META_FORBIDDEN:
            value = meta.get(key)
            if value is not None and value != "" and value != [] and value != 0:
                rep.add(
                    mp + (server,),
                    m.forbidden("cannot be set"),
                    "Leave the claim's name to the server (<pod>-<volume>): a claim template takes only labels "
                    "and annotations.",
                    at=mp + (key,),
                )
    spec = as_map(template.get("spec"))
    tp = sp + ("volumeClaimTemplate", "spec")
    modes = spec.get("accessModes")
    if not as_list(modes) and (modes is None or isinstance(modes, list)):
        rep.add(
            tp + ("accessModes",),
            m.required("at least 1 access mode is required"),
            "List the access modes, such as [ReadWriteOnce].",
        )
    rwop = other = False
    for mode in as_list(modes):
        if not isinstance(mode, str):
            continue
        if mode not in ACCESS_MODES:
            rep.add(
                tp + ("accessModes",),
                m.not_supported(mode, ACCESS_MODES),
                "Use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.",
            )
        elif mode == "ReadWriteOncePod":
            rwop = True
        else:
            other = True
    if rwop and other:
        rep.add(
            tp + ("accessModes",),
            m.forbidden("may not use ReadWriteOncePod with other access modes"),
            "Use ReadWriteOncePod alone.",
        )
    requests = as_map(as_map(spec.get("resources")).get("requests"))
    storage_path = tp + ("resources", m.Key("storage"))
    if "storage" not in requests:
        rep.add(
            storage_path,
            m.required(),
            "Request the volume's size in resources.requests.storage.",
            at=tp + ("resources", "requests", "storage"),
        )
    else:
        try:
            size = quantity_from_yaml(requests["storage"])
        except QuantityError:
            size = None  # the server cannot decode the manifest
        if size is not None and (size.negative or not size.value):
            rep.add(
                storage_path,
                m.invalid(str(size), "must be greater than zero"),
                "Request a positive storage size, such as 1Gi.",
                at=tp + ("resources", "requests", "storage"),
            )
    klass = spec.get("storageClassName")
    if isinstance(klass, str) and klass:
        for msg in is_dns1123_subdomain(klass):
            rep.add(
                tp + ("storageClassName",),
                m.invalid(klass, msg),
                "Name a StorageClass: a DNS-1123 subdomain.",
            )
    mode = spec.get("volumeMode")
    if isinstance(mode, str) and mode not in VOLUME_MODES:
        rep.add(
            tp + ("volumeMode",),
            m.not_supported(mode, VOLUME_MODES),
            "Set volumeMode to Filesystem or Block.",
        )


def _image(rep: m.Reporter, source: dict, sp: tuple) -> None:
    """``validateImageVolumeSource`` for a template: the reference is required only in a pod, and
    an empty pullPolicy is defaulted."""
    policy = source.get("pullPolicy")
    if isinstance(policy, str) and policy and policy not in PULL_POLICIES:
        rep.add(
            sp + ("pullPolicy",),
            m.not_supported(policy, PULL_POLICIES),
            "Set pullPolicy to Always, IfNotPresent or Never, or leave it out.",
        )


_CHECKS = {
    "emptyDir": _empty_dir,
    "hostPath": _host_path,
    "secret": _secret,
    "nfs": _nfs,
    "persistentVolumeClaim": _pvc,
    "downwardAPI": _downward_api,
    "configMap": _config_map,
    "projected": _projected,
    "csi": _csi,
    "ephemeral": _ephemeral,
    "image": _image,
}
