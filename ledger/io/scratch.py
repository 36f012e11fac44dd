"""An import's working memory for what grows with the file: its questions, and the sources' ids by title.

Both live in a private scratch SQLite database (on disk, deleted when closed) with a small cache of
recent entries in front, so a file of ten million rows needs no more memory than one of a hundred
thousand. The cache is written through: dropping it loses nothing.
"""

import pickle
import sqlite3
from typing import Any, Iterator, Optional

# Entries kept in front of the scratch database. The rows of one question come together in an
# export, so nearly every lookup is one of the last few questions.
CACHED = 4096
_PAGE_CACHE_KIB = 8 * 1024


def _key(key: tuple) -> bytes:
    return pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL)


class Scratch:
    """The scratch database: a private temporary file (SQLite's empty file name), gone when closed."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{_PAGE_CACHE_KIB}"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript("""
            CREATE TABLE question_group (
                key BLOB PRIMARY KEY, line INTEGER NOT NULL, statement TEXT NOT NULL, resolve_by TEXT NOT NULL,
                question_id INTEGER, body BLOB NOT NULL
            );
            CREATE INDEX question_group_question ON question_group (statement, resolve_by, line);
            CREATE INDEX question_group_id ON question_group (question_id);
            CREATE TABLE source_id (title_key TEXT PRIMARY KEY, id INTEGER NOT NULL);
        """)
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Scratch":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Groups:
    """The file's questions (importer._Group, each with its `key` and first `line`), by key, in the order of their first rows."""

    def __init__(self, scratch: Scratch):
        self.db = scratch.db
        self.cache: dict[tuple, Any] = {}
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def get(self, key: tuple) -> Optional[Any]:
        group = self.cache.get(key)
        if group is None:
            found = self.db.execute("SELECT body FROM question_group WHERE key = ?", (_key(key),)).fetchone()
            if found is None:
                return None
            group = self._cached(pickle.loads(found[0]))
        return group

    def add(self, group: Any) -> None:
        statement, resolve_by = group.question[0], group.question[2]
        self.db.execute(
            "INSERT INTO question_group (key, line, statement, resolve_by, question_id, body) VALUES (?, ?, ?, ?, ?, ?)",
            (_key(group.key), group.line, statement, resolve_by.isoformat(), group.question_id, pickle.dumps(group, protocol=pickle.HIGHEST_PROTOCOL)),
        )
        self.count += 1
        self._cached(group)

    def save(self, group: Any) -> None:
        """Write back a group whose question id, match or condition has been found."""
        self.db.execute(
            "UPDATE question_group SET question_id = ?, body = ? WHERE key = ?",
            (group.question_id, pickle.dumps(group, protocol=pickle.HIGHEST_PROTOCOL), _key(group.key)),
        )

    def __iter__(self) -> Iterator[Any]:
        """Every group, in the order of its first row; a group saved meanwhile is seen as saved."""
        last = 0
        while True:
            batch = self.db.execute("SELECT rowid, body FROM question_group WHERE rowid > ? ORDER BY rowid LIMIT 1000", (last,)).fetchall()
            if not batch:
                return
            for last, body in batch:
                group = pickle.loads(body)
                yield self.cache.get(group.key, group)

    def first_unmatched(self, statement: str, resolve_by) -> Optional[Any]:
        """The first group of the file with this statement and resolve-by date not yet matched to a ledger question."""
        found = self.db.execute(
            "SELECT key FROM question_group WHERE statement = ? AND resolve_by = ? AND question_id IS NULL ORDER BY line LIMIT 1",
            (statement, resolve_by.isoformat()),
        ).fetchone()
        return None if found is None else self.get(pickle.loads(found[0]))

    def first_before(self, statement: str, resolve_by, line: int) -> Optional[Any]:
        """The first group of the file with this statement and resolve-by date, if it starts before `line`."""
        found = self.db.execute(
            "SELECT key FROM question_group WHERE statement = ? AND resolve_by = ? AND line < ? ORDER BY line LIMIT 1",
            (statement, resolve_by.isoformat(), line),
        ).fetchone()
        return None if found is None else self.get(pickle.loads(found[0]))

    def holds_question(self, question_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM question_group WHERE question_id = ? LIMIT 1", (question_id,)).fetchone() is not None

    def _cached(self, group: Any) -> Any:
        if len(self.cache) >= CACHED:
            self.cache.clear()
        self.cache[group.key] = group
        return group


class SourceIds:
    """Source ids by title, case-folded (the first source with a title keeps it), for the ledger's sources and those added."""

    def __init__(self, scratch: Scratch):
        self.db = scratch.db
        self.cache: dict[str, int] = {}

    def hold(self, rows) -> None:
        """The ledger's sources as (id, title), in id order."""
        batch = []
        for source_id, title in rows:
            batch.append((title.lower(), source_id))
            if len(batch) >= 5000:
                self.db.executemany("INSERT OR IGNORE INTO source_id (title_key, id) VALUES (?, ?)", batch)
                batch = []
        self.db.executemany("INSERT OR IGNORE INTO source_id (title_key, id) VALUES (?, ?)", batch)

    def get(self, title_key: str) -> Optional[int]:
        found = self.cache.get(title_key)
        if found is None:
            row = self.db.execute("SELECT id FROM source_id WHERE title_key = ?", (title_key,)).fetchone()
            if row is None:
                return None
            found = self._cached(title_key, row[0])
        return found

    def add(self, title_key: str, source_id: int) -> None:
        self.db.execute("INSERT INTO source_id (title_key, id) VALUES (?, ?)", (title_key, source_id))
        self._cached(title_key, source_id)

    def _cached(self, title_key: str, source_id: int) -> int:
        if len(self.cache) >= CACHED:
            self.cache.clear()
        self.cache[title_key] = source_id
        return source_id
