from __future__ import annotations

import datetime as dt

import factory

from mattran.documents.models import DocType, DocumentNumber
from mattran.organisations.models import AdminUnit, FrontBody
from mattran.organisations.tests.factories import FrontBodyFactory


def standing_board(unit: AdminUnit) -> FrontBody:
    return FrontBodyFactory(unit=unit, kind=FrontBody.Kind.STANDING_BOARD)


class DocumentNumberFactory(factory.django.DjangoModelFactory[DocumentNumber]):
    """A register entry written directly (tests of reads); writes go through the service."""

    class Meta:
        model = DocumentNumber

    issuer = factory.SubFactory(FrontBodyFactory, kind=FrontBody.Kind.STANDING_BOARD)
    year = 2022
    number = factory.Sequence(lambda n: n + 1)
    doc_type = DocType.REPORT
    title = factory.Sequence(lambda n: f"Báo cáo số {n}")
    issued_on = factory.LazyAttribute(lambda o: dt.date(o.year, 7, 1))
