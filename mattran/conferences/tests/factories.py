from __future__ import annotations

import datetime as dt

import factory

from mattran.conferences.models import Conclusion, Conference
from mattran.organisations.models import AdminUnit, FrontBody, Position, Term
from mattran.organisations.tests.factories import PersonFactory, TermFactory


class ConferenceFactory(factory.django.DjangoModelFactory[Conference]):
    class Meta:
        model = Conference

    term = factory.SubFactory(TermFactory)
    body = factory.LazyAttribute(lambda o: o.term.body)
    number = factory.Sequence(lambda n: n + 1)
    date = dt.date(2022, 7, 1)
    place = "Hội trường UBND quận"


class ConclusionFactory(factory.django.DjangoModelFactory[Conclusion]):
    class Meta:
        model = Conclusion

    conference = factory.SubFactory(ConferenceFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "Tập trung tuyên truyền kỷ niệm các ngày lễ lớn"


def committee_term(unit: AdminUnit, *, ordinal: int = 15, members: int = 0) -> Term:
    """The unit's committee (created when missing) with a term of ``members`` committee members."""
    body, _ = FrontBody.objects.get_or_create(unit=unit, kind=FrontBody.Kind.COMMITTEE)
    term = TermFactory(body=body, ordinal=ordinal, start_year=2019 + 5 * (ordinal - 15),
                       end_year=2024 + 5 * (ordinal - 15))
    for _ in range(members):
        Position.objects.create(person=PersonFactory(unit=unit), term=term, role=Position.Role.MEMBER)
    return term


def conference_in(unit: AdminUnit, **kwargs: object) -> Conference:
    term = Term.objects.filter(body__unit=unit, body__kind=FrontBody.Kind.COMMITTEE).first() or committee_term(unit)
    return ConferenceFactory(term=term, **kwargs)

