"""Security contexts: ``validatePodSpecSecurityContext``, ``ValidateSecurityContext``,
``validateHostUsers``, seccomp and AppArmor profiles, and the basics of ``windowsOptions``.

Messages quote only ids, enum values and profile paths; a value that is a struct on the
server (the whole security context, a seccomp profile) is printed there with Go pointer
addresses, so it is left out here (``Invalid value: <detail>``).
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.names import is_dns1123_subdomain
from jobcheck.kube.values import as_int, as_list, as_map
from jobcheck.redact import LazyPattern

_ID_ERROR = f"must be between 0 and {f.ID_MAX}, inclusive"
_SYSCTL_SEGMENT = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
_SYSCTL_FMT = "(" + _SYSCTL_SEGMENT + "[\\./])*" + _SYSCTL_SEGMENT
_SYSCTL_RE = LazyPattern(_SYSCTL_FMT)
_CONTROL_RE = LazyPattern("[\x00-\x1f\x7f]")
FIX_ID = "Use an id between 0 and 2147483647."


# kubernetes#132868 (CHANGELOG-1.34, v1.34.0 "Bug or Regression") reworded validateHostUsers's
# errors ("when `hostUsers` is false", the field's own name) and added a Forbidden on every
# container's volumeDevices (block devices are neither idmapped nor chowned). The stored
# kubernetes/kubernetes validation.go of the 1.33 line (000f2605) has neither; the 1.37 development
# line (AIAgentSandox/kubernetes 64149d12) has both, the devices rule waived only for an update of an
# object that already had them (AllowUserNamespacesWithVolumeDevices), never on a create.
HOST_USERS_FIELD_WORDING_FROM = (1, 34)


def _validate_host_users(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> None:
    """``validateHostUsers`` with ``hostUsers: false``: no host namespaces and, from 1.34, no volumeDevices."""
    newer = version >= HOST_USERS_FIELD_WORDING_FROM
    body = m.forbidden("when `hostUsers` is false" if newer else "when `pod.Spec.HostUsers` is false")
    for key, server in (("hostNetwork", "hostNetwork"), ("hostPID", "HostPID"), ("hostIPC", "HostIPC")):
        if spec.get(key) is True:
            rep.add(
                sp + (server,),
                body,
                "A pod with its own user namespace (hostUsers: false) cannot share the host's "
                "network, PID or IPC namespace.",
                at=sp + (key,),
            )
    if not newer:
        return
    for group in ("initContainers", "containers"):  # VisitContainersWithPath's order
        for i, ctr in enumerate(as_list(spec.get(group))):
            if isinstance(ctr, dict) and as_list(ctr.get("volumeDevices")):
                rep.add(
                    sp + (group, i, "volumeDevices"),
                    body,
                    "Mount the volume as a filesystem (volumeMounts), or run the pod in the host's user "
                    "namespace: block devices do not work with hostUsers: false.",
                )


def _check_id(rep: m.Reporter, value: object, path: tuple, at: tuple | None = None) -> None:
    n = as_int(value)
    if n is not None and (n < 0 or n > f.ID_REPORT_ABOVE):
        rep.add(path, m.invalid(n, _ID_ERROR), FIX_ID, at=at)


def validate_pod_security_context(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> None:
    """Pod-level security context rules, and the host namespace rules tied to it."""
    scp = sp + ("securityContext",)
    if spec.get("shareProcessNamespace") is True and spec.get("hostPID") is True:
        rep.add(
            scp + ("shareProcessNamespace",),
            m.invalid(True, "ShareProcessNamespace and HostPID cannot both be enabled"),
            "Use either shareProcessNamespace or hostPID, not both.",
            at=sp + ("shareProcessNamespace",),
        )
    if spec.get("hostUsers") is False and f.gate_on("UserNamespacesSupport", version):
        _validate_host_users(rep, spec, sp, version)
    psc = spec.get("securityContext")
    if not isinstance(psc, dict) or not psc:
        return
    for key in ("fsGroup", "runAsUser", "runAsGroup"):
        if key in psc:
            _check_id(rep, psc[key], scp + (key,))
    for i, gid in enumerate(as_list(psc.get("supplementalGroups"))):
        _check_id(rep, gid, scp + ("supplementalGroups", i))
    if "sysctls" in psc:
        _validate_sysctls(rep, psc["sysctls"], scp + ("sysctls",))
        if (spec.get("hostNetwork") is True or spec.get("hostIPC") is True) and version >= HOST_SYSCTL_FROM:
            _validate_host_sysctls(rep, spec, psc["sysctls"], scp + ("sysctls",))
    change = psc.get("seLinuxChangePolicy")
    if isinstance(change, str) and f.gate_on("SELinuxChangePolicy", version):
        # SELinuxMount (off by default in every supported release) would also allow MountOption.
        if change != "Recursive":
            rep.add(
                scp + ("seLinuxChangePolicy",),
                m.not_supported(change, ("Recursive",)),
                "Set seLinuxChangePolicy to Recursive, or leave it out (MountOption needs the SELinuxMount "
                "feature gate).",
            )
    policy = psc.get("fsGroupChangePolicy")
    if isinstance(policy, str) and policy not in f.FS_GROUP_CHANGE_POLICIES:
        rep.add(
            scp + ("fsGroupChangePolicy",),
            m.not_supported(policy, f.FS_GROUP_CHANGE_POLICIES),
            "Set fsGroupChangePolicy to OnRootMismatch or Always.",
        )
    if "seccompProfile" in psc:
        validate_seccomp(rep, psc["seccompProfile"], scp + ("seccompProfile",))
    if "windowsOptions" in psc:
        validate_windows_options(rep, psc["windowsOptions"], scp + ("windowsOptions",))
    if "appArmorProfile" in psc and f.gate_on("AppArmorFields", version):
        validate_apparmor(rep, psc["appArmorProfile"], scp + ("appArmorProfile",))
    groups_policy = psc.get("supplementalGroupsPolicy")
    if isinstance(groups_policy, str) and f.gate_on("SupplementalGroupsPolicy", version):
        if groups_policy not in f.SUPPLEMENTAL_GROUPS_POLICIES:
            rep.add(
                scp + ("supplementalGroupsPolicy",),
                m.not_supported(groups_policy, f.SUPPLEMENTAL_GROUPS_POLICIES),
                "Set supplementalGroupsPolicy to Merge or Strict.",
            )


def validate_container_security_context(
    rep: m.Reporter, sc: object, scp: tuple, host_users: bool, version: tuple[int, int]
) -> None:
    """``ValidateSecurityContext`` for one container (privileged-by-policy is the cluster's call)."""
    if not isinstance(sc, dict) or not sc:
        return
    for key in ("runAsUser", "runAsGroup"):
        if key in sc:
            _check_id(rep, sc[key], scp + (key,))
    proc = sc.get("procMount")
    if isinstance(proc, str) and f.gate_on("ProcMountType", version):
        if proc not in f.PROC_MOUNT_TYPES:
            rep.add(
                scp + ("procMount",),
                m.not_supported(proc, f.PROC_MOUNT_TYPES),
                "Set procMount to Default or Unmasked.",
            )
        if host_users and proc == "Unmasked":
            rep.add(
                scp + ("procMount",),
                m.invalid(proc, "`hostUsers` must be false to use `Unmasked`"),
                "Set the pod's hostUsers to false to use an Unmasked /proc, or use Default.",
            )
    if "seccompProfile" in sc:
        validate_seccomp(rep, sc["seccompProfile"], scp + ("seccompProfile",))
    if sc.get("allowPrivilegeEscalation") is False:
        if sc.get("privileged") is True:
            rep.add(
                scp,
                m.invalid(m.OMIT, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"),
                "A privileged container always escalates: drop privileged or allowPrivilegeEscalation: false.",
                at=scp + ("allowPrivilegeEscalation",),
            )
        for j, cap in enumerate(as_list(as_map(sc.get("capabilities")).get("add"))):
            if cap == "CAP_SYS_ADMIN":
                rep.add(
                    scp,
                    m.invalid(
                        m.OMIT,
                        "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                    ),
                    "CAP_SYS_ADMIN allows escalation: drop it or allowPrivilegeEscalation: false.",
                    at=scp + ("capabilities", "add", j),
                )
    if "windowsOptions" in sc:
        validate_windows_options(rep, sc["windowsOptions"], scp + ("windowsOptions",))
    if "appArmorProfile" in sc and f.gate_on("AppArmorFields", version):
        validate_apparmor(rep, sc["appArmorProfile"], scp + ("appArmorProfile",))


def host_users(spec: dict, version: tuple[int, int]) -> bool:
    """The pod's effective hostUsers (true unless the served field says false)."""
    return not (spec.get("hostUsers") is False and f.gate_on("UserNamespacesSupport", version))


def _validate_sysctls(rep: m.Reporter, sysctls: object, path: tuple) -> None:
    names: set[str] = set()
    for i, item in enumerate(as_list(sysctls)):
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        if name is None or name == "":
            rep.add(path + (i, "name"), m.required(), "Name the sysctl.")
        elif isinstance(name, str):
            if len(name) > 253 or not _SYSCTL_RE.fullmatch(name):
                rep.add(
                    path + (i, "name"),
                    m.invalid(name, f"must have at most 253 characters and match regex ^{_SYSCTL_FMT}$"),
                    "Write the sysctl name as dot- or slash-separated lowercase segments (net.core.somaxconn).",
                )
            elif name in names:
                rep.add(path + (i, "name"), m.duplicate(name), "Set each sysctl once.")
            names.add(name)


# ValidateHostSysctl (namespaced sysctls with hostNetwork or hostIPC) was added by
# kubernetes#118705 (merged mid-2023); 1.29 is the first release it is certain to be in.
HOST_SYSCTL_FROM = (1, 29)
_IPC_SYSCTLS = ("kernel.sem",)
_IPC_PREFIXES = ("kernel.shm", "kernel.msg", "fs.mqueue.")


def _sysctl_namespace(name: str) -> str:
    """``utilsysctl`` namespace of a dot-separated sysctl name: "net", "ipc" or ""."""
    if name in _IPC_SYSCTLS or name.startswith(_IPC_PREFIXES):
        return "ipc"
    return "net" if name.startswith("net.") else ""


def _validate_host_sysctls(rep: m.Reporter, spec: dict, sysctls: object, path: tuple) -> None:
    """``ValidateHostSysctl``. Slash-separated names are left alone: their normalisation changed."""
    for i, item in enumerate(as_list(sysctls)):
        name = as_map(item).get("name")
        if not isinstance(name, str) or not name or "/" in name:
            continue
        ns = _sysctl_namespace(name)
        if ns == "net" and spec.get("hostNetwork") is True:
            rep.add(
                path + (i, "name"),
                m.invalid(name, "may not be specified when 'hostNetwork' is true"),
                "A pod on the host network cannot set net.* sysctls: they would change the node's. "
                "Drop the sysctl or hostNetwork.",
            )
        elif ns == "ipc" and spec.get("hostIPC") is True:
            rep.add(
                path + (i, "name"),
                m.invalid(name, "may not be specified when 'hostIPC' is true"),
                "A pod in the host IPC namespace cannot set IPC sysctls: they would change the node's. "
                "Drop the sysctl or hostIPC.",
            )


def _local_descending(rep: m.Reporter, value: str, path: tuple) -> None:
    if value.startswith("/"):
        rep.add(path, m.invalid(value, "must be a relative path"), "Use a path relative to the profile root.")
    if ".." in value.split("/"):
        rep.add(path, m.invalid(value, "must not contain '..'"), "Remove '..' from the profile path.")


def validate_seccomp(rep: m.Reporter, profile: object, path: tuple) -> None:
    if not isinstance(profile, dict):
        return
    kind = profile.get("type")
    local = profile.get("localhostProfile")
    if kind is None or kind == "":
        rep.add(
            path + ("type",),
            m.required("type is required when seccompProfile is set"),
            "Set the seccomp profile type: RuntimeDefault, Localhost or Unconfined.",
        )
    elif isinstance(kind, str) and kind not in f.SECCOMP_TYPES:
        rep.add(
            path + ("type",),
            m.not_supported(kind, f.SECCOMP_TYPES),
            "Set the seccomp profile type to RuntimeDefault, Localhost or Unconfined.",
        )
    if kind == "Localhost":
        if local is None:
            rep.add(
                path + ("localhostProfile",),
                m.required("must be set when seccomp type is Localhost"),
                "Set localhostProfile to the profile's path under the kubelet's seccomp directory.",
            )
        elif isinstance(local, str):
            _local_descending(rep, local, path + ("localhostProfile",))
    elif local is not None:
        rep.add(
            path + ("localhostProfile",),
            m.invalid(m.OMIT, "can only be set when seccomp type is Localhost"),
            "Remove localhostProfile, or set the type to Localhost.",
        )


def validate_apparmor(rep: m.Reporter, profile: object, path: tuple) -> None:
    if not isinstance(profile, dict):
        return
    kind = profile.get("type")
    local = profile.get("localhostProfile")
    if kind == "Localhost":
        if local is None:
            rep.add(
                path + ("localhostProfile",),
                m.required("must be set when AppArmor type is Localhost"),
                "Set localhostProfile to the name of an AppArmor profile loaded on the node.",
            )
        elif isinstance(local, str):
            if local.strip() != local:
                rep.add(
                    path + ("localhostProfile",),
                    m.invalid(local, "must not be padded with whitespace"),
                    "Remove the spaces around the profile name.",
                )
            elif not local:
                rep.add(
                    path + ("localhostProfile",),
                    m.required("must be set when AppArmor type is Localhost"),
                    "Set localhostProfile to the name of an AppArmor profile loaded on the node.",
                )
    elif kind in ("RuntimeDefault", "Unconfined"):
        if isinstance(local, str):
            rep.add(
                path + ("localhostProfile",),
                m.invalid(local, "can only be set when AppArmor type is Localhost"),
                "Remove localhostProfile, or set the type to Localhost.",
            )
    elif kind is None or kind == "":
        rep.add(
            path + ("type",),
            m.required("type is required when appArmorProfile is set"),
            "Set the AppArmor profile type: RuntimeDefault, Localhost or Unconfined.",
        )
    elif isinstance(kind, str):
        rep.add(
            path + ("type",),
            m.not_supported(kind, f.APPARMOR_TYPES),
            "Set the AppArmor profile type to RuntimeDefault, Localhost or Unconfined.",
        )


def validate_windows_options(rep: m.Reporter, options: object, path: tuple) -> None:
    if not isinstance(options, dict):
        return
    spec_name = options.get("gmsaCredentialSpecName")
    if isinstance(spec_name, str):
        for msg in is_dns1123_subdomain(spec_name):
            rep.add(
                path + ("gmsaCredentialSpecName",),
                m.invalid(spec_name, msg),
                "Set gmsaCredentialSpecName to the name of a GMSACredentialSpec object.",
            )
    if options.get("gmsaCredentialSpec") == "":
        rep.add(
            path + ("gmsaCredentialSpec",),
            m.invalid("", "gmsaCredentialSpec cannot be an empty string"),
            "Remove the empty gmsaCredentialSpec, or fill it in.",
        )
    user = options.get("runAsUserName")
    if not isinstance(user, str):
        return
    at = path + ("runAsUserName",)
    if not user:
        rep.add(
            at,
            m.invalid(user, "runAsUserName cannot be an empty string"),
            "Remove the empty runAsUserName, or set a user name.",
        )
    elif _CONTROL_RE.search(user):
        rep.add(
            at,
            m.invalid(user, "runAsUserName cannot contain control characters"),
            "Remove the control characters from runAsUserName.",
        )
    elif user.count("\\") > 1:
        rep.add(
            at,
            m.invalid(user, "runAsUserName cannot contain more than one backslash"),
            "Write runAsUserName as DOMAIN\\USER or USER.",
        )
