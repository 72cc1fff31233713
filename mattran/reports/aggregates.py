"""Database side of the roll-up: a few bulk queries, then the pure functions of :mod:`mattran.reports.rollup`.

Not scoped to a viewer: the selectors in :mod:`mattran.reports.selectors` check the policy and call these.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from mattran.organisations.models import AdminUnit, UnitSuccession
from mattran.reports import rollup
from mattran.reports.models import Indicator, IndicatorValue, Period, ReportSection, ReportStatus

#: Which reports count in totals. Approved only by default; pass ``statuses=COUNT_SUBMITTED`` to include
#: reports waiting for review (a provisional view).
COUNT_APPROVED: frozenset[str] = frozenset({ReportStatus.APPROVED})
COUNT_SUBMITTED: frozenset[str] = frozenset({ReportStatus.APPROVED, ReportStatus.SUBMITTED})


def successions() -> list[rollup.Succession]:
    return [
        rollup.Succession(predecessor=p, successor=s, effective_on=d, is_primary=primary)
        for p, s, d, primary in UnitSuccession.objects.values_list(
            "predecessor_id", "successor_id", "effective_on", "is_primary"
        )
    ]


def _counted(period: Period, statuses: Collection[str], codes: Collection[str] | None) -> QuerySet[IndicatorValue]:
    qs = IndicatorValue.objects.filter(report__period=period, report__status__in=sorted(statuses))
    if codes is not None:
        qs = qs.filter(indicator__code__in=sorted(codes))
    return qs


def counted_values(
    period: Period, *, statuses: Collection[str] = COUNT_APPROVED, under: AdminUnit | None = None,
    also_units: Collection[int] = (), only: Collection[int] | None = None, codes: Collection[str] | None = None,
) -> dict[int, dict[str, int]]:
    """``{unit: {code: value}}`` of the counted reports of ``period``, optionally only under a unit (plus
    ``also_units``), optionally only of the units in ``only``. One query; the ORM writes it and a plain
    cursor reads it, because it may return a row per figure (200,000 for the whole country) and per-row ORM
    overhead would dominate (decision 0006)."""
    qs = _scope(_counted(period, statuses, codes), under, also_units)
    if only is not None:
        qs = qs.filter(report__unit_id__in=list(only))
    sql, params = qs.values_list("report__unit_id", "indicator__code", "value").query.sql_with_params()
    result: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, code, value in cursor.fetchall():
            figures = result.get(unit_id)
            if figures is None:
                figures = result[unit_id] = {}
            figures[code] = value
    return result


def _scope(qs: QuerySet[IndicatorValue], under: AdminUnit | None, also_units: Collection[int]
           ) -> QuerySet[IndicatorValue]:
    if under is None:
        return qs
    in_scope = Q(report__unit__path__startswith=under.path)
    if also_units:
        in_scope |= Q(report__unit_id__in=list(also_units))
    return qs.filter(in_scope)


def presummed_leaves(
    period: Period, *, statuses: Collection[str], under: AdminUnit | None, also_units: Collection[int],
    exclude: Collection[int], codes: Collection[str] | None = None,
) -> dict[int, dict[str, int]]:
    """``{parent: {code: sum}}`` over the counted reports of every unit not in ``exclude``, grouped by the
    report unit's parent in the database (one ``GROUP BY``; 35 × 60 rows instead of 200,000)."""
    qs = _scope(_counted(period, statuses, codes), under, also_units).exclude(report__unit_id__in=list(exclude))
    rows = (
        qs.values_list("report__unit__parent_id", "indicator_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    code_of = dict(Indicator.objects.values_list("id", "code"))
    result: dict[int, dict[str, int]] = {}
    for parent_id, indicator_id, total in rows:
        result.setdefault(parent_id, {})[code_of[indicator_id]] = int(total)
    return result


def rollup_period(
    period: Period, *, unit: AdminUnit | None = None, statuses: Collection[str] = COUNT_APPROVED,
    leaves: bool = True, codes: Collection[str] | None = None,
) -> dict[int, dict[str, int]]:
    """Total per unit (its own counted report plus everything below it, mergers applied as the period says).

    With ``unit``, only that unit and the units below it are in the result; figures of units elsewhere whose
    successor lies below ``unit`` are included. Units with nothing counted are absent.

    ``leaves=False`` leaves out the plain leaves (units with no children that neither move nor receive
    figures in this period, i.e. almost every commune): the database sums them per parent with one
    ``GROUP BY`` instead of sending every figure to Python. Every other unit's total is the same. That is
    what dashboards of upper units need, and it is what keeps the whole country under 200 ms (decision 0006).
    Four or five queries either way. ``codes`` limits the work to some indicators (a chart needs one).
    """
    lineage = successions()
    parents_qs = AdminUnit.objects.all()
    if unit is not None:
        parents_qs = parents_qs.filter(path__startswith=unit.path)
    parents: dict[int, int | None] = dict(parents_qs.values_list("id", "parent_id"))
    moved = rollup.holders(lineage, period.end)
    also: list[int] = []
    if unit is not None:
        also = [pred for pred, holder in moved.items() if holder in parents and pred not in parents]
    if leaves:
        values = counted_values(period, statuses=statuses, under=unit, also_units=also, codes=codes)
        totals = rollup.rollup(parents, values, lineage, period_end=period.end)
    else:
        special = set(moved) | set(moved.values()) | {p for p in parents.values() if p is not None}
        special &= set(parents) | set(also)
        special.update(also)
        special.update(u for u, p in parents.items() if p is None)  # roots have no parent to be summed into
        if unit is not None:
            special.add(unit.pk)  # the unit asked for always answers for itself
        values = counted_values(period, statuses=statuses, under=unit, also_units=also, only=special, codes=codes)
        below = presummed_leaves(period, statuses=statuses, under=unit, also_units=also, exclude=special,
                                 codes=codes)
        totals = rollup.rollup(parents, values, lineage, period_end=period.end, below=below)
    if unit is not None:
        totals = {u: figures for u, figures in totals.items() if u in parents}
    return totals


def units_counted_toward(children: Collection[int], period: Period) -> dict[int, int]:
    """``{unit: child}`` for every unit whose figures count toward one of ``children`` in ``period``:
    the children themselves and their predecessors moved onto them."""
    moved = rollup.holders(successions(), period.end)
    result = {child: child for child in children}
    for pred, holder in moved.items():
        if holder in result and pred not in result:
            result[pred] = holder
    return result


def section_texts_below(unit: AdminUnit, period: Period, *, statuses: Collection[str] = COUNT_SUBMITTED
                        ) -> dict[str, list[tuple[int, str]]]:
    """For the drafter of ``unit``'s report: per section key, the texts of the reports of the units directly
    below (and of their predecessors counted toward them), in tree order. Not summed: gathered for editing."""
    children = list(
        AdminUnit.objects.filter(parent=unit)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .values_list("id", flat=True)
    )
    toward = units_counted_toward(children, period)
    rows = (
        ReportSection.objects.filter(
            report__period=period, report__status__in=list(statuses), report__unit_id__in=list(toward)
        )
        .order_by("report__unit__path")
        .values_list("report__unit_id", "section__key", "text")
    )
    return rollup.gather_texts(rows)
