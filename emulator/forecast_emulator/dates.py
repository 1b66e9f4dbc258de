"""Dates at a frequency: `D`, `3D`, `W`, `M`, `3M`, `Y`, `H`, `15min`, ... (Forecast's frequencies)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_FREQUENCY = re.compile(r"^(\d*)(Y|M|W|D|H|min)$")
_UNITS = {
    "W": timedelta(weeks=1),
    "D": timedelta(days=1),
    "H": timedelta(hours=1),
    "min": timedelta(minutes=1),
}


def _parts(frequency: str) -> tuple[int, str]:
    match = _FREQUENCY.match(frequency)
    if match is None:
        return 1, "D"
    return int(match.group(1) or 1), match.group(2)


def offset(start: datetime, frequency: str, steps: int) -> datetime:
    """`start` moved by `steps` periods of `frequency` (`D`, `3D`, `M`, `15min`, ...)."""
    count, unit = _parts(frequency)
    if unit in ("Y", "M"):
        months = steps * count * (12 if unit == "Y" else 1)
        index = start.year * 12 + start.month - 1 + months
        return start.replace(year=index // 12, month=index % 12 + 1)
    return start + steps * count * _UNITS[unit]


def align_up(moment: datetime, frequency: str) -> datetime:
    """The first boundary of `frequency` at or after `moment` (weeks start on Mondays)."""
    count, unit = _parts(frequency)
    if unit == "min":
        floor = moment.replace(second=0, microsecond=0)
        floor -= timedelta(minutes=floor.minute % count)
        step = timedelta(minutes=count)
    elif unit == "H":
        floor, step = moment.replace(minute=0, second=0, microsecond=0), timedelta(hours=1)
    elif unit in ("D", "W"):
        floor = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        if unit == "W":
            floor -= timedelta(days=floor.weekday())
        step = _UNITS[unit]
    else:
        floor = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if unit == "Y":
            floor = floor.replace(month=1)
        return floor if floor == moment else offset(floor, "Y" if unit == "Y" else "M", 1)
    return floor if floor == moment else floor + step
