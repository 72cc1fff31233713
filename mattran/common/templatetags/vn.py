"""Template filters wrapping :mod:`mattran.common.vn` — templates format dates and money only through these."""

import datetime as dt

from django import template

from mattran.common import vn

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    return vn.money(amount)


@register.filter
def ngay_dai(value: dt.date | dt.datetime | None, place: str = "") -> str:
    return vn.date_long(value, place or None) if value else ""


@register.filter
def ngay(value: dt.date | dt.datetime | None) -> str:
    return vn.date_short(value) if value else ""


@register.filter
def ngay_gio(value: dt.datetime | None) -> str:
    return vn.datetime_short(value) if value else ""


@register.filter
def la_ma(number: int | None) -> str:
    return vn.roman(number) if number else ""
