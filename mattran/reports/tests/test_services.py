from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.audit.models import AuditEvent
from mattran.organisations.models import AdminUnit
from mattran.organisations.tests.factories import build_tree
from mattran.reports import services
from mattran.reports.models import IndicatorValue, Period, PeriodKind, Report, ReportStatus, ReviewNote
from mattran.reports.tests.factories import half

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, AdminUnit]:
    return build_tree()


@pytest.fixture
def period() -> Period:
    return half(2022, 1)


@pytest.fixture
def ward_cadre(tree: dict[str, AdminUnit]):  # type: ignore[no-untyped-def]
    return user_with_role(Role.CADRE, tree["bach_mai"])


@pytest.fixture
def district_standing(tree: dict[str, AdminUnit]):  # type: ignore[no-untyped-def]
    return user_with_role(Role.STANDING, tree["district"])


@pytest.fixture
def report(tree: dict[str, AdminUnit], period: Period, ward_cadre) -> Report:  # type: ignore[no-untyped-def]
    return services.report_create(actor=ward_cadre, unit=tree["bach_mai"], period=period)


def test_periods_get_vietnamese_labels_and_calendar_dates() -> None:
    h1 = services.period_get_or_create(actor=None, kind=PeriodKind.HALF, year=2022, index=1)
    assert (h1.label, h1.start, h1.end) == ("6 tháng đầu năm 2022", dt.date(2022, 1, 1), dt.date(2022, 6, 30))
    q2 = services.period_get_or_create(actor=None, kind=PeriodKind.QUARTER, year=2022, index=2)
    assert (q2.label, q2.end) == ("Quý II năm 2022", dt.date(2022, 6, 30))
    feb = services.period_get_or_create(actor=None, kind=PeriodKind.MONTH, year=2024, index=2)
    assert (feb.label, feb.end) == ("Tháng 2 năm 2024", dt.date(2024, 2, 29))
    assert services.period_get_or_create(actor=None, kind=PeriodKind.HALF, year=2022, index=1) == h1


def test_term_periods_need_their_dates_and_out_of_range_indexes_are_refused() -> None:
    mid = services.period_get_or_create(
        actor=None, kind=PeriodKind.MIDTERM, year=2019, index=2024, start=dt.date(2019, 7, 1),
        end=dt.date(2021, 12, 31),
    )
    assert mid.label == "Giữa nhiệm kỳ 2019–2024"
    with pytest.raises(ValidationError):
        services.period_get_or_create(actor=None, kind=PeriodKind.ENDTERM, year=2019, index=2024)
    with pytest.raises(ValidationError):
        services.period_get_or_create(actor=None, kind=PeriodKind.QUARTER, year=2022, index=5)


def test_creating_a_report_twice_returns_the_same_draft_with_its_deadline(
    report: Report, tree: dict[str, AdminUnit], period: Period, ward_cadre  # type: ignore[no-untyped-def]
) -> None:
    assert report.status == ReportStatus.DRAFT
    assert report.version == 1
    assert report.due_on == dt.date(2022, 7, 5)  # 3 working days after Thu 30/6/2022
    assert report.template.level == "commune"
    again = services.report_create(actor=ward_cadre, unit=tree["bach_mai"], period=period)
    assert again.pk == report.pk
    assert AuditEvent.objects.filter(action="reports.report.create").count() == 1


def test_a_cadre_cannot_create_the_report_of_another_ward(
    tree: dict[str, AdminUnit], period: Period, ward_cadre  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(PermissionDenied):
        services.report_create(actor=ward_cadre, unit=tree["vinh_tuy"], period=period)


def test_saving_a_draft_stores_texts_and_figures_bumps_the_version_and_audits_old_and_new(
    report: Report, ward_cadre  # type: ignore[no-untyped-def]
) -> None:
    saved = services.report_save_draft(
        actor=ward_cadre, report=report, expected_version=1,
        sections={"tinh-hinh": "Nhân dân phấn khởi."},
        values={"quy_vnn_van_dong": "1.500.000", "nha_ddk_xay_moi": 2, "qua_tang_so_suat": ""},
    )
    assert saved.version == 2
    assert dict(IndicatorValue.objects.filter(report=report).values_list("indicator__code", "value")) == {
        "quy_vnn_van_dong": 1_500_000, "nha_ddk_xay_moi": 2,
    }
    services.report_save_draft(actor=ward_cadre, report=report, expected_version=2,
                               values={"nha_ddk_xay_moi": 3, "quy_vnn_van_dong": ""})
    event = AuditEvent.objects.filter(action="reports.report.save_draft").order_by("-pk").first()
    assert event is not None
    assert event.changes["nha_ddk_xay_moi"] == [2, 3]
    assert event.changes["quy_vnn_van_dong"] == [1_500_000, None]
    assert event.changes["version"] == [2, 3]


def test_a_stale_version_is_refused_and_nothing_is_overwritten(
    report: Report, ward_cadre  # type: ignore[no-untyped-def]
) -> None:
    services.report_save_draft(actor=ward_cadre, report=report, expected_version=1, values={"nha_ddk_xay_moi": 2})
    with pytest.raises(ValidationError) as refused:
        services.report_save_draft(
            actor=ward_cadre, report=report, expected_version=1, values={"nha_ddk_xay_moi": 9},
            sections={"tinh-hinh": "Bản cũ"},
        )
    assert refused.value.messages == [services.STALE_MESSAGE]
    report.refresh_from_db()
    assert report.version == 2
    assert IndicatorValue.objects.get(report=report).value == 2
    assert not report.sections.exists()


@pytest.mark.parametrize("bad", ["-5", -5, "mười", "1,5", "1.5", 2.5, True, "１２"])
def test_a_non_numeric_or_negative_figure_is_refused_and_nothing_changes(
    report: Report, ward_cadre, bad: object  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.report_save_draft(
            actor=ward_cadre, report=report, expected_version=1,
            values={"nha_ddk_xay_moi": 2, "quy_vnn_van_dong": bad}, sections={"tinh-hinh": "x"},
        )
    assert any("phải là số nguyên không âm" in m for m in refused.value.messages)
    assert "Số tiền vận động ủng hộ Quỹ “Vì người nghèo”" in refused.value.messages[0]
    report.refresh_from_db()
    assert report.version == 1
    assert not IndicatorValue.objects.filter(report=report).exists()
    assert not report.sections.exists()


def test_an_indicator_or_section_outside_the_template_is_refused(
    report: Report, ward_cadre  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(ValidationError):
        services.report_save_draft(actor=ward_cadre, report=report, expected_version=1, values={"khong_co": 1})
    with pytest.raises(ValidationError):
        services.report_save_draft(actor=ward_cadre, report=report, expected_version=1, sections={"khong-co": "x"})


def test_the_full_cycle_submit_return_with_a_comment_fix_resubmit_approve(
    report: Report, ward_cadre, district_standing  # type: ignore[no-untyped-def]
) -> None:
    services.report_save_draft(actor=ward_cadre, report=report, expected_version=1, values={"nha_ddk_xay_moi": 1})
    services.report_submit(actor=ward_cadre, report=report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == ward_cadre
    with pytest.raises(ValidationError):
        services.report_save_draft(actor=ward_cadre, report=report, expected_version=report.version,
                                   values={"nha_ddk_xay_moi": 5})

    services.report_return(actor=district_standing, report=report, note="Bổ sung số liệu nhà Đại đoàn kết.")
    assert report.status == ReportStatus.RETURNED
    assert ReviewNote.objects.get(report=report).text == "Bổ sung số liệu nhà Đại đoàn kết."

    services.report_save_draft(actor=ward_cadre, report=report, expected_version=report.version,
                               values={"nha_ddk_xay_moi": 4})
    services.report_submit(actor=ward_cadre, report=report)
    services.report_approve(actor=district_standing, report=report)
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by == district_standing and report.approved_at is not None
    assert list(AuditEvent.objects.filter(target_id=str(report.pk)).values_list("action", flat=True)
                .order_by("pk")) == [
        "reports.report.create", "reports.report.save_draft", "reports.report.submit", "reports.report.return",
        "reports.report.note", "reports.report.save_draft", "reports.report.submit", "reports.report.approve",
    ]


def test_submitting_after_approval_is_refused(
    report: Report, ward_cadre, district_standing  # type: ignore[no-untyped-def]
) -> None:
    services.report_submit(actor=ward_cadre, report=report)
    services.report_approve(actor=district_standing, report=report)
    version = report.version
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=ward_cadre, report=report)
    assert "Đã duyệt" in refused.value.messages[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.version == version


def test_a_ward_cannot_approve_or_return_its_own_report(
    report: Report, tree: dict[str, AdminUnit]
) -> None:
    ward_standing = user_with_role(Role.STANDING, tree["bach_mai"])
    services.report_submit(actor=ward_standing, report=report)
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=ward_standing, report=report)
    with pytest.raises(PermissionDenied):
        services.report_return(actor=ward_standing, report=report, note="x")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_cadre_of_the_upper_unit_may_not_review_only_standing_members_may(
    report: Report, tree: dict[str, AdminUnit], ward_cadre  # type: ignore[no-untyped-def]
) -> None:
    services.report_submit(actor=ward_cadre, report=report)
    district_cadre = user_with_role(Role.CADRE, tree["district"])
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=district_cadre, report=report)


def test_returning_needs_a_comment_and_a_submitted_report(
    report: Report, ward_cadre, district_standing  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(ValidationError):
        services.report_return(actor=district_standing, report=report, note="Sửa lại")  # still a draft
    services.report_submit(actor=ward_cadre, report=report)
    with pytest.raises(ValidationError):
        services.report_return(actor=district_standing, report=report, note="   ")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    assert not ReviewNote.objects.exists()


def test_a_report_cannot_be_created_for_a_unit_that_did_not_exist_in_the_period(
    tree: dict[str, AdminUnit],
) -> None:
    new_ward = AdminUnit(level="commune", type_name="Phường", name="Phường Mới", short_name="Mới",
                         key="test/new", parent=tree["hanoi"], valid_from=dt.date(2025, 7, 1))
    new_ward.save()
    with pytest.raises(ValidationError):
        services.report_create(actor=None, unit=new_ward, period=half(2022, 1))


def test_the_database_refuses_a_negative_figure_even_past_the_service(report: Report) -> None:
    from django.db import IntegrityError, transaction

    from mattran.reports.models import Indicator

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(report=report, indicator=Indicator.objects.first(), value=-1)
