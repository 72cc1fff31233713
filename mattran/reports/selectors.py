"""Reads on reports, scoped to the viewer by the permission policy (``Action.REPORT_VIEW``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mattran.accounts.permissions import Action, can, scope_paths
from mattran.organisations.models import AdminUnit
from mattran.reports import aggregates
from mattran.reports.aggregates import COUNT_APPROVED
from mattran.reports.calendar import deadline_for
from mattran.reports.models import Indicator, IndicatorValue, Period, Report, ReportStatus


def _require_view(user: Any, unit: AdminUnit) -> None:
    """Out of scope answers 404, so a unit's existence does not leak (decision 0001)."""
    if not can(user, Action.REPORT_VIEW, unit):
        raise Http404("Không tìm thấy đơn vị.")


def reports_visible_to(*, user: Any, period: Period | None = None) -> QuerySet[Report]:
    """Reports of the units in the viewer's scope, newest period first, in tree order."""
    qs = Report.objects.select_related("unit", "period", "template")
    paths = scope_paths(user, Action.REPORT_VIEW) if getattr(user, "is_authenticated", False) else []
    if paths is not None:
        if not paths or not getattr(user, "is_active", False):
            return qs.none()
        condition = Q()
        for path in paths:
            condition |= Q(unit__path__startswith=path)
        qs = qs.filter(condition)
    if period is not None:
        qs = qs.filter(period=period)
    return qs.order_by("-period__start", "unit__path")


def report_for(*, user: Any, pk: int) -> Report:
    """One report by id; 404 when missing or out of the viewer's scope."""
    report = reports_visible_to(user=user).filter(pk=pk).first()
    if report is None:
        raise Http404("Không tìm thấy báo cáo.")
    return report


def units_below(unit: AdminUnit, period: Period) -> QuerySet[AdminUnit]:
    """The units directly below ``unit`` that exist at some point of ``period``."""
    return (
        AdminUnit.objects.filter(parent=unit)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .order_by("path")
    )


@dataclass(frozen=True)
class SubmissionRow:
    unit: AdminUnit
    report: Report | None
    due_on: dt.date
    today: dt.date

    @property
    def status(self) -> str | None:
        return self.report.status if self.report else None

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "Chưa lập báo cáo"

    @property
    def has_submitted(self) -> bool:
        return self.report is not None and self.report.status in {ReportStatus.SUBMITTED, ReportStatus.APPROVED}

    @property
    def is_late(self) -> bool:
        return not self.has_submitted and self.today > self.due_on


def submission_status(
    *, user: Any, unit: AdminUnit, period: Period, today: dt.date | None = None
) -> list[SubmissionRow]:
    """The units directly below ``unit`` with their report (or none), its status and due date: who has not
    submitted, and who is late. Two queries."""
    _require_view(user, unit)
    today = today or timezone.localdate()
    children = list(units_below(unit, period))
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(period=period, unit__in=children).select_related("period")
    }
    rows = []
    for child in children:
        report = reports.get(child.pk)
        due = report.due_on if report and report.due_on else deadline_for(period, child.level)
        rows.append(SubmissionRow(unit=child, report=report, due_on=due, today=today))
    return rows


@dataclass(frozen=True)
class IndicatorTotal:
    indicator: Indicator
    value: int


def upper_totals(
    *, user: Any, unit: AdminUnit, period: Period, statuses: Collection[str] = COUNT_APPROVED
) -> dict[int, dict[str, int]]:
    """The roll-up of ``unit``'s subtree for ``period`` in the form the upper-unit selectors below take as
    ``totals=``: a page that shows totals and a ranking computes it once (decision 0006)."""
    _require_view(user, unit)
    return aggregates.rollup_period(period, unit=unit, statuses=statuses, leaves=False)


def indicator_totals(
    *, user: Any, unit: AdminUnit, period: Period, statuses: Collection[str] = COUNT_APPROVED,
    totals: dict[int, dict[str, int]] | None = None,
) -> list[IndicatorTotal]:
    """Every indicator of the catalogue with ``unit``'s rolled-up total for ``period`` (0 when nothing counted)."""
    _require_view(user, unit)
    if totals is None:
        totals = aggregates.rollup_period(period, unit=unit, statuses=statuses, leaves=False)
    mine = totals.get(unit.pk, {})
    return [IndicatorTotal(indicator=i, value=mine.get(i.code, 0)) for i in Indicator.objects.all()]


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit: AdminUnit
    value: int


def ranking(
    *, user: Any, unit: AdminUnit, period: Period, indicator: Indicator | str,
    statuses: Collection[str] = COUNT_APPROVED, totals: dict[int, dict[str, int]] | None = None,
) -> list[RankRow]:
    """The units directly below ``unit`` by their rolled-up ``indicator``, highest first; equal values share a
    rank (1, 2, 2, 4); ties in tree order."""
    _require_view(user, unit)
    code = indicator if isinstance(indicator, str) else indicator.code
    children = list(units_below(unit, period))
    if totals is None:
        totals = aggregates.rollup_period(period, unit=unit, statuses=statuses, leaves=False)
    # Plain leaves are summed into their parent by the database; their total is their own figure.
    own = dict(
        IndicatorValue.objects.filter(
            report__period=period, report__status__in=list(statuses), indicator__code=code,
            report__unit__in=[child for child in children if child.pk not in totals],
        ).values_list("report__unit_id", "value")
    )
    scored = sorted(
        ((totals.get(child.pk, {}).get(code, own.get(child.pk, 0)), child) for child in children),
        key=lambda pair: (-pair[0], pair[1].path),
    )
    rows: list[RankRow] = []
    for position, (value, child) in enumerate(scored, start=1):
        rank = rows[-1].rank if rows and rows[-1].value == value else position
        rows.append(RankRow(rank=rank, unit=child, value=value))
    return rows


def indicator_series(
    *, user: Any, unit: AdminUnit, indicator: Indicator | str, periods: Iterable[Period],
    statuses: Collection[str] = COUNT_APPROVED,
) -> list[tuple[Period, int]]:
    """``[(period, total)]`` of one indicator for ``unit`` over ``periods`` in time order (for charts)."""
    _require_view(user, unit)
    code = indicator if isinstance(indicator, str) else indicator.code
    return [
        (period, aggregates.rollup_period(period, unit=unit, statuses=statuses, leaves=False, codes=[code])
         .get(unit.pk, {}).get(code, 0))
        for period in sorted(periods, key=lambda p: (p.start, p.end))
    ]


def section_texts_below(
    *, user: Any, unit: AdminUnit, period: Period
) -> dict[str, list[tuple[AdminUnit, str]]]:
    """Per section key, the texts the units below submitted for ``period``, for the upper drafter to edit."""
    _require_view(user, unit)
    gathered = aggregates.section_texts_below(unit, period)
    ids = {u for rows in gathered.values() for u, _ in rows}
    units = AdminUnit.objects.in_bulk(ids)
    return {key: [(units[u], text) for u, text in rows] for key, rows in gathered.items()}


def workspace_due_items(*, user: Any) -> list[dict[str, Any]]:
    """Dashboard to-dos: reports of the units below waiting for review, and the user's own reports returned
    for correction or still in draft. Counted in the database, whatever the size of the scope."""
    from django.urls import reverse

    from mattran.accounts.permissions import units_where

    if not can(user, Action.REPORT_VIEW):
        return []
    queries: list[tuple[str, QuerySet[Report]]] = []
    if can(user, Action.REPORT_REVIEW):
        reviewable = units_where(user, Action.REPORT_REVIEW)
        queries.append(("Báo cáo cấp dưới chờ duyệt",
                        Report.objects.filter(status=ReportStatus.SUBMITTED, unit__parent__in=reviewable)))
    if can(user, Action.REPORT_EDIT):
        editable = units_where(user, Action.REPORT_EDIT)
        queries.append(("Báo cáo bị trả lại cần sửa",
                        Report.objects.filter(status=ReportStatus.RETURNED, unit__in=editable)))
        queries.append(("Báo cáo đang soạn", Report.objects.filter(status=ReportStatus.DRAFT, unit__in=editable)))
    items: list[dict[str, Any]] = []
    for label, qs in queries:
        first = qs.order_by("-period__start", "unit__path").values_list("pk", flat=True).first()
        if first is not None:
            items.append({"label": label, "count": qs.count(), "url": reverse("reports:report_detail", args=[first])})
    return items
