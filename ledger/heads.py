"""Published heads: a head hash given on the command line, or kept in a file outside the ledger."""

import re

from ledger.errors import LedgerError

SHORTEST_PUBLISHED_HEAD = 12


def read_published_head(text: str) -> str:
    head = text.strip().lower()
    if len(head) < SHORTEST_PUBLISHED_HEAD or len(head) > 64 or not re.fullmatch(r"[0-9a-f]+", head):
        raise LedgerError(
            f"unreadable --head {text!r}: give the head hash 'ledger verify' printed "
            f"(64 hex digits, or at least its first {SHORTEST_PUBLISHED_HEAD})"
        )
    return head


# A head in one line of a head file: the line's first word, or what follows the word "head"
# ("; head 3f2a…" in verify's line, "head": "3f2a…" in its JSON) but not "published_head".
_HEAD_IN_LINE = re.compile(r'^\s*([0-9A-Fa-f]{%d,64})\b|(?<!\w)head[\s":]+([0-9A-Fa-f]{%d,64})\b' % ((SHORTEST_PUBLISHED_HEAD,) * 2))


def read_head_file(path: str) -> str:
    """The newest head kept in a file: the last line that holds one.

    The file may hold what `ledger verify` printed (its line, or its JSON), appended
    to over time, or head hashes one per line, each optionally followed by a note.
    """
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not UTF-8 text"
        raise LedgerError(f"cannot read --head-file {path}: {reason}; give a file holding a head hash 'ledger verify' printed") from None
    heads = [match.group(1) or match.group(2) for match in map(_HEAD_IN_LINE.search, lines) if match]
    if not heads:
        raise LedgerError(
            f"--head-file {path} holds no head hash: keep in it the head 'ledger verify' printed "
            f"(its line, its JSON, or the hash alone: 64 hex digits, or at least the first {SHORTEST_PUBLISHED_HEAD})"
        )
    return read_published_head(heads[-1])
