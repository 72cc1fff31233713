"""Roll-up of indicator values along the unit tree, across the 2025 mergers. Pure: no database here.

The rule. Each counted report's figures belong to exactly one unit, their *holder*:

* normally the report's own unit;
* but when the unit has a **primary** successor whose succession took effect on or before the period's last
  day (the successor exists within the period: "the period says so"), the figures move to that successor,
  following chains (Quỳnh Lôi → Bạch Mai on 1/1/2025 → the new Bạch Mai ward on 1/7/2025) as long as each
  step is in effect by the period's end.

The total of a unit is the sum of the figures held by the unit and by every unit below it. So a pre-reform
ward's figures count toward its successor and the successor's ancestors *instead of* its old district, and
never twice. Only a unit's own lineage moves its figures: a unit without succession rows (a district) keeps
its own report where it is.

Sections of text are not summed: :func:`gather_texts` collects them per section for the upper drafter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Values = Mapping[str, int]


@dataclass(frozen=True)
class Succession:
    predecessor: int
    successor: int
    effective_on: dt.date
    is_primary: bool = True


def holders(successions: Iterable[Succession], period_end: dt.date) -> dict[int, int]:
    """``{unit: holder}`` for every unit whose figures move in a period ending on ``period_end``.

    Among several primary successions of one unit in effect, the latest in effect wins; chains are followed;
    a cycle in bad data stops where it would revisit a unit.
    """
    step: dict[int, tuple[dt.date, int]] = {}
    for s in successions:
        if not s.is_primary or s.effective_on > period_end or s.predecessor == s.successor:
            continue
        current = step.get(s.predecessor)
        if current is None or (s.effective_on, s.successor) > current:
            step[s.predecessor] = (s.effective_on, s.successor)
    result: dict[int, int] = {}
    for start in step:
        seen = {start}
        unit = start
        while unit in step:
            nxt = step[unit][1]
            if nxt in seen:
                break
            seen.add(nxt)
            unit = nxt
        result[start] = unit
    return result


def rollup(
    parents: Mapping[int, int | None],
    values: Mapping[int, Values],
    successions: Iterable[Succession] = (),
    *,
    period_end: dt.date | None = None,
    below: Mapping[int, Values] | None = None,
) -> dict[int, dict[str, int]]:
    """The total per unit: its held figures plus everything held below it.

    ``parents`` maps unit → parent (``None`` for a root); a unit missing from it is treated as a root.
    ``values`` maps unit → ``{indicator code: value}`` of its counted report. Successions apply only when
    ``period_end`` is given. ``below`` optionally maps a unit to figures already summed over some of its
    children that neither move nor receive figures and have no children (the database pre-sums those plain
    leaves, see :func:`mattran.reports.aggregates.rollup_period`); those children are then absent from the
    result. Units with nothing counted in their subtree are absent from the result.
    """
    moved = holders(successions, period_end) if period_end is not None else {}
    held: dict[int, dict[str, int]] = {}
    sources: list[tuple[int, Values]] = [(moved.get(unit, unit), figures) for unit, figures in values.items()]
    sources.extend((below or {}).items())
    for holder, figures in sources:
        bucket = held.get(holder)
        if bucket is None:
            held[holder] = dict(figures)
        else:
            for code, value in figures.items():
                bucket[code] = bucket.get(code, 0) + value

    # Push every held bucket up to its ancestors, deepest first, so each unit is summed once.
    depth_cache: dict[int, int] = {}

    def depth(unit: int) -> int:
        chain = []
        node: int | None = unit
        while node is not None and node not in depth_cache:
            chain.append(node)
            node = parents.get(node)
            if len(chain) > 64:  # a cycle in bad data; stop climbing
                node = None
        base = -1 if node is None else depth_cache[node]
        for n in reversed(chain):
            base += 1
            depth_cache[n] = base
        return depth_cache[unit]

    # Every unit that receives something: the holders and their ancestors. Deepest first, each unit passes its
    # complete total to its parent exactly once.
    involved: set[int] = set()
    for unit in held:
        up: int | None = unit
        while up is not None and up not in involved:
            involved.add(up)
            up = parents.get(up)
    totals: dict[int, dict[str, int]] = {unit: dict(figures) for unit, figures in held.items()}
    for unit in sorted(involved, key=depth, reverse=True):
        subtotal = totals.get(unit)
        parent = parents.get(unit)
        if subtotal is None or parent is None:
            continue
        target = totals.get(parent)
        if target is None:
            totals[parent] = dict(subtotal)
        else:
            for code, value in subtotal.items():
                target[code] = target.get(code, 0) + value
    return totals


def gather_texts(
    texts: Iterable[tuple[int, str, str]], order: Mapping[int, int] | None = None
) -> dict[str, list[tuple[int, str]]]:
    """``(unit, section key, text)`` rows → ``{section key: [(unit, text), …]}``, blank texts dropped,
    units in ``order`` (unit → position) when given, else as they came."""
    gathered: dict[str, list[tuple[int, str]]] = {}
    for unit, key, text in texts:
        if text and text.strip():
            gathered.setdefault(key, []).append((unit, text.strip()))
    if order is not None:
        for rows in gathered.values():
            rows.sort(key=lambda row: order.get(row[0], len(order)))
    return gathered
