"""Time zones the way Kubernetes sees them: Go's time.LoadLocation plus the timeZone field rules.

Zone data always comes from the ``tzdata`` package that ships with jobcheck, read
from its folder and through ``ZoneInfo.from_file``. ``ZoneInfo(key)`` would
prefer the machine's /usr/share/zoneinfo (TZPATH), so answers would change from one
machine to the next; reading the bundled files directly keeps them reproducible.

Go reads a zone by opening ``<zoneinfo dir>/<name>``, so its errors are file-system
errors ("is a directory", "not a directory") or "malformed time zone information" for a
file that is not TZif. That walk is reproduced over the bundled tree. A few names exist
in Debian-style system zoneinfo directories but not in the tzdata package; they are
mapped (``_SYSTEM_ALIASES`` and the ``posix/`` and ``right/`` trees) so validity matches a
typical control-plane image. ``right/`` zones count leap seconds on a real system; here
they behave like their ``posix/`` twins.
"""

from __future__ import annotations

import functools
import os
import re
from datetime import timezone, tzinfo

UTC = timezone.utc

#: Sentinel for Go's time.Local (a schedule prefixed with TZ=Local uses the caller's zone).
LOCAL = "Local"

_SYSTEM_ALIASES = {"posixrules": "America/New_York", "localtime": "Etc/UTC"}
_UTC_NAMES = ("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu")
_COMPONENT = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")

MSG_EMPTY = "timeZone must be nil or non-empty string"
MSG_LOCAL = "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"


class LocationError(ValueError):
    """time.LoadLocation failed; str() is Go's error text."""


@functools.cache
def _root() -> str:
    """The bundled tree's folder. Its files are read directly: ``importlib.resources`` would cost
    about 15 ms of imports (pathlib, tempfile, typing) in every run with a CronJob naming a zone,
    and pip installs ``tzdata`` as plain files."""
    import tzdata

    root = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo")
    if not os.path.isdir(root):  # a zipped install: no zone would be found, every verdict wrong
        raise RuntimeError(f"the tzdata package is not installed as files ({root})")
    return root


def _path(parts: tuple[str, ...] | list[str]) -> str:
    return os.path.join(_root(), *parts)


@functools.cache
def _listing(parts: tuple[str, ...]) -> dict[str, bool] | None:
    """Entries of a directory of the bundled tree: name -> is_dir. None if it is not a directory."""
    try:
        with os.scandir(_path(parts)) as entries:
            return {e.name: e.is_dir() for e in entries if e.name not in ("__init__.py", "__pycache__")}
    except (NotADirectoryError, FileNotFoundError):
        return None


@functools.lru_cache(maxsize=512)
def load_location(name: str) -> tzinfo | str:
    """Return the zone Go's ``time.LoadLocation(name)`` would, or raise LocationError.

    ``""`` and ``"UTC"`` give UTC; ``"Local"`` gives the ``LOCAL`` sentinel.
    """
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return LOCAL
    if ".." in name or name[0] in "/\\":
        raise LocationError("time: invalid location name")
    alias = _SYSTEM_ALIASES.get(name)
    if alias is not None:
        return load_location(alias)
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if parts and parts[0] in ("posix", "right"):
        if len(parts) == 1:
            raise LocationError("is a directory")
        parts = parts[1:]
    trailing_slash = name.endswith("/")
    walked: list[str] = []
    for i, part in enumerate(parts):
        entries = _listing(tuple(walked))
        if entries is None:  # a file used as a directory
            raise LocationError("not a directory")
        if part not in entries:
            raise LocationError(f"unknown time zone {name}")
        walked.append(part)
        last = i == len(parts) - 1
        if last and entries[part]:
            raise LocationError("is a directory")
        if last and trailing_slash:
            raise LocationError("not a directory")
    if not walked:
        raise LocationError("is a directory")
    data = tzif_bytes(walked)
    if not data.startswith(b"TZif"):
        raise LocationError("malformed time zone information")
    from io import BytesIO
    from zoneinfo import ZoneInfo  # 2-3 ms (sysconfig): for a CronJob that names a zone only

    return ZoneInfo.from_file(BytesIO(data), key="/".join(walked))


def tzif_bytes(parts: list[str]) -> bytes:
    """The bytes of the bundled file at ``parts`` (a path ``load_location`` walked)."""
    with open(_path(parts), "rb") as fh:
        return fh.read()


def timezone_errors(name: str) -> list[str]:
    """Kubernetes' validateTimeZone messages for ``spec.timeZone`` (empty list when valid)."""
    if name == "":
        return [MSG_EMPTY]
    for part in name.split("/"):
        if part in (".", "..") or part.startswith("-") or not _COMPONENT.fullmatch(part):
            return [f"unknown time zone {name}"]
    errors = []
    if name.lower() == "local":
        errors.append(MSG_LOCAL)
    try:
        load_location(name)
    except LocationError as exc:
        errors.append(str(exc))
    return errors


@functools.lru_cache(maxsize=512)  # every schedule rule asks, for every CronJob
def timezone_error(name: str) -> str | None:
    """Kubernetes' verdict on a ``spec.timeZone`` value: the message (errors joined by "; ") or None."""
    errors = timezone_errors(name)
    return "; ".join(errors) if errors else None


def zone_for(name: str | None) -> tzinfo:
    """A usable zone for ``name`` (None or invalid names fall back to UTC)."""
    if not name:
        return UTC
    try:
        zone = load_location(name)
    except LocationError:
        return UTC
    return UTC if zone == LOCAL else zone  # type: ignore[return-value]


def has_dst(zone: tzinfo) -> bool:
    """Whether the zone may shift its UTC offset: any named zone but UTC's names.

    Deliberately loose (a zone without DST today still counts), so that callers using
    it to widen a bound stay safe.
    """
    if isinstance(zone, timezone):
        return False
    return getattr(zone, "key", None) not in _UTC_NAMES
