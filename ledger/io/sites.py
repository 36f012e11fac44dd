"""What the other sites' layouts share: their timestamps read as the UTC day the ledger stores."""

from datetime import datetime, timezone
from typing import Union


def utc_day(cell: str) -> str:
    """The UTC date of an ISO 8601 timestamp ('2024-09-30T21:02:10-05:00' is 2024-10-01); other text as it is.

    A timestamp without an offset is taken as UTC. Text that is no timestamp is left for the
    date rule, whose refusal says what it accepts.
    """
    text = cell.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return cell
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date().isoformat()


def epoch_day(value: Union[int, float, str, None], unit: float = 1.0) -> str:
    """The UTC date of a count of seconds (unit 1) or milliseconds (unit 1000) since 1970."""
    if value is None or value == "":
        return ""
    return datetime.fromtimestamp(float(value) / unit, tz=timezone.utc).date().isoformat()
