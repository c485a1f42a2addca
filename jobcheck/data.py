"""Locate the data that ships with jobcheck: rules/ and schemas/."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory holding ``name`` (``rules`` or ``schemas``).

    An installed wheel carries them under ``jobcheck/_data``; a source checkout
    (or an editable install) keeps them at the top level beside the package.
    """
    installed = _PKG / "_data" / name
    if installed.is_dir():
        return installed
    return _PKG.parent / name
