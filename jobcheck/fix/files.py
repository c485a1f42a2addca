"""Writing a fixed file back: its encoding kept, atomically, never over a change made meanwhile;
and the unified diff that --diff prints instead."""

from __future__ import annotations

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


def write_atomic(path: str, expected: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` via a temporary file in the same directory, keeping the mode.

    Raises ChangedOnDisk (and writes nothing) if the file no longer holds ``expected``.
    """
    real = os.path.realpath(path)  # replace a symlink's target, not the link
    info = os.stat(real)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(real), prefix=f".{os.path.basename(real)}.", suffix=".jobcheck")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        with open(real, "rb") as handle:
            if handle.read() != expected:
                raise ChangedOnDisk(path)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def unified_diff(old: str, new: str, name: str) -> str:
    """A ``git diff``-style unified diff, ``\\ No newline at end of file`` included."""
    def lines(text: str) -> list[str]:
        parts = text.split("\n")
        return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])

    label = name[2:] if name.startswith("./") else name
    out = []
    # Compares the real lines, prints them with credentials masked (jobcheck.redact).
    for line in redact.unified_diff(lines(old), lines(new), f"a/{label.lstrip('/')}", f"b/{label.lstrip('/')}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
