"""Time: the store keeps naive UTC, slots and people speak the center's wall-clock time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str) -> ZoneInfo:
    """The center's zone; UTC for a name this machine does not know (never an error page)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def utcnow() -> datetime:
    """Now as naive UTC, as every timestamp in the store."""
    return datetime.now(UTC).replace(tzinfo=None)


def center_now(timezone: str) -> datetime:
    """The center's wall-clock time now, naive like the slots."""
    return datetime.now(zone(timezone)).replace(tzinfo=None)


def to_local(moment: datetime | None, timezone: str) -> datetime | None:
    """Naive UTC -> naive center wall-clock time."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(zone(timezone)).replace(tzinfo=None)


def to_utc(local: datetime, timezone: str) -> datetime:
    """Naive center wall-clock time -> naive UTC."""
    return local.replace(tzinfo=zone(timezone)).astimezone(UTC).replace(tzinfo=None)
