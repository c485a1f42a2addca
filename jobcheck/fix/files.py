"""Writing a fixed file back: its encoding kept, atomically, never over a change made meanwhile;
and the unified diff that --diff prints instead."""

from __future__ import annotations

import difflib
import os
import stat
import tempfile

from jobcheck import redact

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def split_encoding(raw: bytes) -> tuple[bytes, str]:
    """The BOM (or b"") and the codec to write the text back exactly as it was encoded."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return bom, codec
    return b"", "utf-8"


def encode(text: str, bom: bytes, codec: str) -> bytes:
    return bom + text.encode(codec)


class ChangedOnDisk(Exception):
    """The file changed between reading and writing; it was left alone."""


class Refused(Exception):
    """The file is not one --fix may rewrite (the message says why); it was left alone."""


def writable_by_mode(info: os.stat_result) -> bool:
    """Whether the permission bits let this user write the file. Root passes any permission
    check, so for root the bits themselves decide: a file nobody may write (0444) stays as it is."""
    mode = info.st_mode
    if os.geteuid() == 0:
        return bool(mode & 0o222)
    if info.st_uid == os.geteuid():
        return bool(mode & stat.S_IWUSR)
    if info.st_gid == os.getegid() or info.st_gid in os.getgroups():
        return bool(mode & stat.S_IWGRP)
    return bool(mode & stat.S_IWOTH)


def check_rewritable(path: str) -> os.stat_result:
    """The file's status if --fix may replace it; raise Refused if not: a symlink (never written
    through), not a regular file, more than one hard link (replacing one name would silently cut
    it from the others), or not writable by its permissions."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise Refused("is a symbolic link; --fix does not write through links (fix the file it points to)")
    if not stat.S_ISREG(info.st_mode):
        raise Refused("is not a regular file")
    if info.st_nlink > 1:
        raise Refused(f"has {info.st_nlink} hard links; --fix would cut this name from the others, so it "
                      f"leaves the file alone")
    if not writable_by_mode(info):
        raise Refused("is not writable by its permissions")
    return info


def write_atomic(path: str, expected: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` via a temporary file in the same directory, keeping the
    mode, the owner and the group.

    Raises Refused (see check_rewritable, or when the owner or group cannot be kept) and
    ChangedOnDisk (the file no longer holds ``expected``), and then writes nothing.
    """
    info = check_rewritable(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=f".{os.path.basename(path)}.",
                               suffix=".jobcheck")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            written = os.fstat(handle.fileno())
            if (written.st_uid, written.st_gid) != (info.st_uid, info.st_gid):
                try:
                    os.fchown(handle.fileno(), info.st_uid, info.st_gid)
                except OSError:
                    raise Refused("its owner or group could not be kept; not rewritten") from None
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))
        with open(path, "rb") as handle:
            now = os.fstat(handle.fileno())
            if (now.st_ino, now.st_dev) != (info.st_ino, info.st_dev) or handle.read() != expected:
                raise ChangedOnDisk(path)
        if check_rewritable(path).st_mtime_ns != now.st_mtime_ns:
            raise ChangedOnDisk(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def unified_diff(old: str, new: str, name: str, pieces: list[tuple[str, str]] | None = None) -> str:
    """A ``git diff``-style unified diff, ``\\ No newline at end of file`` included.

    ``pieces``: (old, new) pairs whose concatenations are ``old`` and ``new``, each but the last
    ending with a newline (a fixed stream's documents): each pair is compared on its own, so the
    work grows with the stream and not with its square, and the hunks are then grouped as one
    comparison of the whole texts would group them.
    """
    old_lines, new_lines, ops = [], [], []
    for a, b in pieces if pieces is not None else [(old, new)]:
        a_lines, b_lines = _lines(a), _lines(b)
        i, j = len(old_lines), len(new_lines)
        if a_lines == b_lines:
            chunk = [("equal", 0, len(a_lines), 0, len(b_lines))] if a_lines else []
        elif len(a_lines) * len(b_lines) > _DIFFLIB_MAX:
            chunk = _resync_opcodes(a_lines, b_lines)
        else:
            chunk = difflib.SequenceMatcher(None, a_lines, b_lines).get_opcodes()
        for tag, a1, a2, b1, b2 in chunk:
            if ops and ops[-1][0] == tag == "equal":
                ops[-1] = ("equal", ops[-1][1], i + a2, ops[-1][3], j + b2)
            else:
                ops.append((tag, i + a1, i + a2, j + b1, j + b2))
        old_lines += a_lines
        new_lines += b_lines
    if all(op[0] == "equal" for op in ops):
        return ""
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    matcher.opcodes = ops  # the pieces' comparisons, joined; grouped as difflib groups its own
    label = name[2:] if name.startswith("./") else name
    # Compares the real lines, prints them with credentials masked (jobcheck.redact).
    shown_old, shown_new = redact.mask_lines(old_lines), redact.mask_lines(new_lines)
    out = [f"--- a/{label.lstrip('/')}\n", f"+++ b/{label.lstrip('/')}\n"]
    for group in matcher.get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out += [" " + line for line in shown_old[a1:a2]]
                continue
            out += ["-" + line for line in shown_old[a1:a2]]
            out += ["+" + line for line in shown_new[b1:b2]]
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


# difflib's matcher grows with the square of a piece's length: a piece longer than this (one
# document of thousands of lines, such as a kind: List) is compared by _resync_opcodes.
_DIFFLIB_MAX = 2000 * 2000
_WINDOW = 64


def _resync_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes in linear time for texts that differ in a few short places (a fix
    inserts or replaces a few lines at a time): at a difference, the nearest point within
    _WINDOW lines where three lines agree again. Always a correct edit script, if not the
    shortest one."""
    ops: list[tuple[str, int, int, int, int]] = []

    def emit(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if ops and ops[-1][0] == tag:
            ops[-1] = (tag, ops[-1][1], i2, ops[-1][3], j2)
        else:
            ops.append((tag, i1, i2, j1, j2))

    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            emit("equal", i, i + 1, j, j + 1)
            i, j = i + 1, j + 1
            continue
        for k in range(1, _WINDOW + 1):
            if a[i: i + 3] == b[j + k: j + k + 3]:
                emit("insert", i, i, j, j + k)
                j += k
                break
            if a[i + k: i + k + 3] == b[j: j + 3]:
                emit("delete", i, i + k, j, j)
                i += k
                break
            if i + k <= len(a) and j + k <= len(b) and a[i + k: i + k + 3] == b[j + k: j + k + 3]:
                emit("replace", i, i + k, j, j + k)
                i, j = i + k, j + k
                break
        else:
            emit("replace", i, i + 1, j, j + 1)
            i, j = i + 1, j + 1
    if i < len(a) or j < len(b):
        emit("delete" if j == len(b) else "insert" if i == len(a) else "replace", i, len(a), j, len(b))
    return ops


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it (difflib's convention)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if not length else start + 1},{length}"
