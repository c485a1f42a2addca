"""The code digest of the result cache: which files it covers, in a stable order, and that an
edit (size or mtime) changes it. jobcheck/cache.py's ``_code_files`` over a throwaway tree."""

from __future__ import annotations

import os

from jobcheck import cache


def _tree(root):
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "__pycache__").mkdir()
    (root / "pkg" / "b.py").write_text("x = 1\n")
    (root / "pkg" / "a.yaml").write_text("a: 1\n")
    (root / "pkg" / "notes.txt").write_text("not code\n")
    (root / "pkg" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0")
    (root / "pkg" / "sub" / "c.json").write_text("{}\n")
    (root / "pkg" / "z.py").write_text("")


def _lines(top):
    parts: list[str] = []
    cache._code_files(str(top), "", parts)
    return parts


def test_code_files_lists_code_and_data_by_name_then_subdirectories(tmp_path):
    _tree(tmp_path)
    lines = _lines(tmp_path / "pkg")
    names = [line.split("\0")[0] for line in lines]
    assert names == ["a.yaml", "b.py", "z.py", os.path.join("sub", "c.json")]
    size = {line.split("\0")[0]: int(line.split("\0")[1]) for line in lines}
    assert size["b.py"] == 6 and size["z.py"] == 0


def test_an_edit_changes_the_listing(tmp_path):
    _tree(tmp_path)
    before = _lines(tmp_path / "pkg")
    target = tmp_path / "pkg" / "sub" / "c.json"
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    after = _lines(tmp_path / "pkg")
    assert before[:3] == after[:3] and before[3] != after[3]


def test_code_digest_is_computed_once_a_process():
    first = cache.code_digest()
    assert len(first) == 32 and cache.code_digest() is first
