from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from mattran.organisations.models import AdminUnit
from mattran.reports.models import IndicatorValue, Period, PeriodKind, Report, ReportStatus, ReportTemplate


class PeriodFactory(factory.django.DjangoModelFactory[Period]):
    class Meta:
        model = Period
        django_get_or_create = ("kind", "year", "index")

    kind = PeriodKind.HALF
    year = 2022
    index = 1
    start = dt.date(2022, 1, 1)
    end = dt.date(2022, 6, 30)
    label = "6 tháng đầu năm 2022"


def half(year: int, index: int) -> Period:
    from mattran.reports.models import calendar_bounds, period_label

    start, end = calendar_bounds(PeriodKind.HALF, year, index)
    return PeriodFactory(kind=PeriodKind.HALF, year=year, index=index, start=start, end=end,
                         label=period_label(PeriodKind.HALF, year, index))


def template_for(unit: AdminUnit) -> ReportTemplate:
    return ReportTemplate.objects.get(level=unit.level, is_active=True)


class ReportFactory(factory.django.DjangoModelFactory[Report]):
    class Meta:
        model = Report

    unit = None
    period = factory.SubFactory(PeriodFactory)
    template = factory.LazyAttribute(lambda o: template_for(o.unit))
    status = ReportStatus.DRAFT
    due_on = dt.date(2022, 7, 6)


def approved_report(unit: AdminUnit, period: Period, values: dict[str, int], **kwargs: Any) -> Report:
    """A report already approved, with the given figures (by indicator code), written directly."""
    from mattran.reports.models import Indicator

    report = ReportFactory(unit=unit, period=period, status=kwargs.pop("status", ReportStatus.APPROVED), **kwargs)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=values)}
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=report, indicator=indicators[code], value=value) for code, value in values.items()
    )
    return report
