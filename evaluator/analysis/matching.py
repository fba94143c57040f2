"""Follow items across years: the same indicator (or fund) by id first, then by its normalised name.

``match`` groups the items of successive years into lines and says how each line was joined; the
order of each year's table is kept. ``normalise_name`` (from ``language.names``) is the name as matching
compares it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from evaluator.language.names import normalise_name
from evaluator.results.comparison import Cell

__all__ = ["match", "normalise_name", "safe_key"]

T = TypeVar("T")


def safe_key(prefix: str, ident: str | None, used: set[str]) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "", ident or "") or "x"
    key = f"{prefix}-{safe}"
    number = 2
    while key in used:
        key = f"{prefix}-{safe}-{number}"
        number += 1
    return key


@dataclass(eq=False)  # compared by identity: two tracks may hold equal items
class _Track(Generic[T]):
    """One line while matching: its item in each year, the latest id and name, and how it was joined."""

    items: list[T | None]
    id: str = ""
    name: str = ""
    how: set[str] = field(default_factory=set)


def match(years: list[list[T]], *, key_id: Callable[[T], str], key_name: Callable[[T], str]
           ) -> list[tuple[list[T | None], str]]:
    """Group items of successive years into lines: by id first, then by normalised name.

    Returns, per line, the item of each year (None where absent) and how the line was matched
    (id, name, or single when it has one year only). A line new in a year is placed right after the
    line of the item that precedes it in that year's table, so that the order of the tables is kept.
    """
    tracks: list[_Track[T]] = []
    for position, items in enumerate(years):
        open_tracks = [t for t in tracks if t.items[position] is None]
        track_of: dict[int, _Track[T]] = {}
        by_id: dict[str, _Track[T]] = {}
        for track in open_tracks:
            by_id.setdefault(track.id, track)
        for index, item in enumerate(items):
            track = by_id.get(key_id(item))
            if track is not None and track.items[position] is None:
                track_of[index] = track
                track.items[position] = item
                track.how.add("id")
        by_name: dict[str, list[_Track[T]]] = {}
        for track in open_tracks:
            if track.items[position] is None:
                by_name.setdefault(track.name, []).append(track)
        for index, item in enumerate(items):
            candidates = by_name.get(key_name(item)) if index not in track_of else None
            if candidates:
                track = candidates.pop(0)
                track_of[index] = track
                track.items[position] = item
                track.how.add("name")
        for index, item in enumerate(items):
            if index not in track_of:
                track = _Track([None] * len(years))
                track.items[position] = item
                before = track_of.get(index - 1)
                tracks.insert(tracks.index(before) + 1 if before is not None else _first_of_year(tracks, position),
                              track)
                track_of[index] = track
            track_of[index].id, track_of[index].name = key_id(item), key_name(item)
    result = []
    for track in tracks:
        present = sum(1 for item in track.items if item is not None)
        how = "single" if present == 1 else ("name" if "name" in track.how else "id")
        result.append((_with_match(track.items), how))
    return result


def _first_of_year(tracks: list[_Track[T]], position: int) -> int:
    """Where a line new in this year goes when it is first in its table: before that year's other lines."""
    return next((at for at, track in enumerate(tracks) if track.items[position] is not None), len(tracks))


def _with_match(items: list[T | None]) -> list[T | None]:
    """Record on each cell how it joined its line: by id when the id is the previous year's, else by name."""
    result: list[T | None] = []
    previous: Cell | None = None
    for item in items:
        if isinstance(item, Cell):
            if previous is not None:
                item = replace(item, matched="id" if item.id == previous.id else "name")  # type: ignore[assignment]
            previous = item
        result.append(item)
    return result
