import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client, override_settings

from mattran.accounts.models import User
from mattran.audit.models import AuditEvent
from mattran.demo import scenario
from mattran.news.models import Article
from mattran.organisations.models import FrontBody, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("load_admin_units", verbosity=0)
    call_command("load_demo", "--yes-load-demo-accounts", verbosity=0)


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


def test_loading_the_demo_twice_changes_nothing(demo: None) -> None:
    before = _row_counts()
    last_event = AuditEvent.objects.order_by("-pk").first()
    call_command("load_admin_units", verbosity=0)
    call_command("load_demo", "--yes-load-demo-accounts", verbosity=0)
    assert _row_counts() == before
    assert AuditEvent.objects.order_by("-pk").first() == last_event


def test_the_demo_is_refused_without_the_explicit_flag() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--yes-load-demo-accounts"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_the_district_committee_of_term_xv_and_its_18_wards(demo: None) -> None:
    district = scenario.hai_ba_trung()
    term = Term.objects.get(body__unit=district, body__kind=FrontBody.Kind.COMMITTEE, ordinal=15)
    assert str(term) == "khóa XV, nhiệm kỳ 2019–2024"
    assert term.positions.filter(role="chu_tich").count() == 1
    wards = scenario.legacy_wards(district)
    assert len(wards) == 18
    assert all(FrontBody.objects.filter(unit=w, kind=FrontBody.Kind.COMMITTEE).exists() for w in wards)
    successors = scenario.successor_wards(wards)
    assert {"Bạch Mai", "Vĩnh Tuy", "Hai Bà Trưng"} <= {u.short_name for u in successors}
    assert all(Term.objects.filter(body__unit=u, ordinal=1, start_year=2025).exists() for u in successors)


def test_the_tenth_conference_article_is_in_the_archive_of_1_july_2022(demo: None, client: Client) -> None:
    article = Article.objects.get(title__startswith="Hội nghị lần thứ 10")
    assert article.is_public
    response = client.get("/tin-tuc/ngay/2022-07-01/")
    assert article.title in response.content.decode()
    assert article.publish_at.astimezone(dt.UTC).date() == dt.date(2022, 7, 1)


def test_demo_accounts_log_in_only_in_demo_mode(demo: None, client: Client) -> None:
    with override_settings(DEMO_MODE=False):
        assert not client.login(username="canbo.bachmai", password=scenario.DEMO_PASSWORD)
    with override_settings(DEMO_MODE=True):
        assert client.login(username="canbo.bachmai", password=scenario.DEMO_PASSWORD)
    assert {a.username for a in scenario.ACCOUNTS} <= set(User.objects.values_list("username", flat=True))


def test_the_tenth_conference_with_agenda_attendance_minutes_and_the_plan(demo: None) -> None:
    from mattran.conferences.models import Conference
    from mattran.conferences.services import quorum_met
    from mattran.demo.work_scenario import plan_for

    district = scenario.hai_ba_trung()
    conference = Conference.objects.get(body__unit=district, number=10, term__ordinal=15)
    assert conference.date == dt.date(2022, 7, 1)
    assert conference.title.startswith("Hội nghị lần thứ 10 Ủy ban MTTQ Việt Nam quận Hai Bà Trưng khóa XV")
    presenters = set(conference.agenda_items.values_list("presenter_body", flat=True))
    assert {"Thường trực HĐND quận", "UBND quận", "Ban Thường trực Ủy ban MTTQ quận"} <= presenters
    assert quorum_met(conference)
    assert conference.minutes_versions.filter(is_adopted=True).count() == 1
    plan = plan_for(district)
    assert plan is not None
    assert plan.groups.count() == 8
    assert plan.groups.filter(tasks__source_conclusion__conference=conference).exists()


def test_the_wards_reports_of_the_first_half_of_2022_roll_up_into_the_district(demo: None) -> None:
    from mattran.reports.aggregates import rollup_period
    from mattran.reports.models import IndicatorValue, Period, Report, ReportStatus

    district = scenario.hai_ba_trung()
    period = Period.objects.get(kind="half", year=2022, index=1)
    wards = scenario.legacy_wards(district)
    assert Report.objects.filter(period=period, unit__in=wards, status=ReportStatus.APPROVED).count() == 18
    ward_sum = sum(IndicatorValue.objects.filter(
        report__period=period, report__unit__in=wards, indicator__code="quy_vnn_van_dong",
    ).values_list("value", flat=True))
    totals = rollup_period(period, unit=district)
    assert totals[district.pk]["quy_vnn_van_dong"] == ward_sum > 0
    assert Report.objects.get(unit=district, period=period).status == ReportStatus.SUBMITTED


def test_the_demo_district_report_converts_to_pdf(demo: None) -> None:
    from mattran.documents.pdf import convert_to_pdf, pdf_available
    from mattran.reports.exports import report_docx
    from mattran.reports.models import Report

    if not pdf_available():
        pytest.skip("LibreOffice is not installed (CI installs it; under CI=true this skip fails)")
    report = Report.objects.get(unit=scenario.hai_ba_trung(), period__year=2022, period__index=1)
    assert convert_to_pdf(report_docx(report, actor=None)).startswith(b"%PDF")
