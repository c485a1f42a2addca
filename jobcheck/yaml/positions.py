"""Field path to source position lookups over the loader's position index.

The index is keyed by the identity of each mapping and list the loader built: a
mapping's table holds, per key, the key's and the value's marks; a list's table
holds each item's marks. Marks are 0-based (line, column, end line, end column);
lookups return 1-based positions.
"""

from __future__ import annotations

from collections import namedtuple

from jobcheck.finding import Path
from jobcheck.record import dataclass, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any


Span = namedtuple("Span", ["line", "column", "end_line", "end_column"])  # one per finding: a tuple is the cheapest record


@dataclass
class Positions:
    tables: dict[int, Any] = field(default_factory=dict)
    root: tuple = (0, 0, 0, 0)

    def locate(self, data: Any, path: Path, on_key: bool = False) -> tuple[Span, int]:
        """Return the span for ``path`` and how many leading path elements exist.

        A scalar value is located at the value; a mapping or list value at its key
        (or at the item, for list items), which is what a reader looks for. When
        the path runs out of the document (a missing field), the span is that of
        the nearest existing ancestor's key.
        """
        line, column, end_line, end_column, found = self.locate_marks(data, path, on_key)
        return Span(line, column, end_line, end_column), found

    def locate_marks(self, data: Any, path: Path, on_key: bool = False) -> tuple[int, int, int, int, int]:
        """``locate`` as one plain tuple: (line, column, end line, end column, found); the engine
        asks once per finding."""
        cur = data
        tables = self.tables
        entry: tuple = self.root  # marks of the deepest node reached: a list item's, or key + value
        keyed = False
        found = 0
        for elem in path:
            table = tables.get(id(cur))
            if table is None:
                break
            if isinstance(elem, int):
                if not isinstance(cur, list) or not 0 <= elem < len(cur):
                    break
                keyed = False
            else:
                if not isinstance(cur, dict) or elem not in cur:
                    break
                keyed = True
            entry = table[elem]
            cur = cur[elem]
            found += 1
        # Only the last step's marks are sliced: a scalar value is shown at the value, anything
        # else (and anything reported on its key) at the key.
        at = 4 if keyed and found == len(path) and not on_key and not isinstance(cur, (dict, list)) else 0
        return entry[at] + 1, entry[at + 1] + 1, entry[at + 2] + 1, entry[at + 3] + 1, found

    def value_span(self, data: Any, path: Path) -> Span | None:
        """The span of the value at ``path`` itself, or None when the path is missing."""
        cur = data
        value_marks = None
        for elem in path:
            table = self.tables.get(id(cur))
            if table is None:
                return None
            if isinstance(elem, int):
                if not isinstance(cur, list) or not 0 <= elem < len(cur):
                    return None
                value_marks = table[elem]
            else:
                if not isinstance(cur, dict) or elem not in cur:
                    return None
                value_marks = table[elem][4:]
            cur = cur[elem]
        return _span(value_marks if value_marks is not None else self.root)


def _span(marks: tuple, at: int = 0) -> Span:
    """The 1-based span of the four 0-based marks starting at ``at``."""
    return Span(marks[at] + 1, marks[at + 1] + 1, marks[at + 2] + 1, marks[at + 3] + 1)
