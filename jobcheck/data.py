"""Locate the data that ships with jobcheck: rules/ and schemas/."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from pathlib import Path

_PKG = os.path.dirname(os.path.realpath(__file__))


def data_path(name: str) -> str:
    """Return the directory holding ``name`` (``rules`` or ``schemas``).

    An installed wheel carries them under ``jobcheck/_data``; a source checkout
    (or an editable install) keeps them at the top level beside the package.
    A string: the lint path does not import pathlib (~4 ms at start-up, issue 13).
    """
    installed = os.path.join(_PKG, "_data", name)
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(_PKG), name)


def data_dir(name: str) -> Path:
    """``data_path`` as a ``pathlib.Path``."""
    from pathlib import Path

    return Path(data_path(name))
