"""The report pages: fill in, refuse bad figures, submit, return, resubmit, approve, export."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.organisations.models import FrontBody
from mattran.organisations.tests.factories import FrontBodyFactory, build_tree
from mattran.reports.models import IndicatorValue, Report, ReportStatus
from mattran.reports.tests.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    tree = build_tree()
    for unit in (tree["district"], tree["bach_mai"]):
        FrontBodyFactory(unit=unit, kind=FrontBody.Kind.STANDING_BOARD)
    return {**tree, "period": PeriodFactory(), "ward_cadre": user_with_role(Role.CADRE, tree["bach_mai"]),
            "district_cadre": user_with_role(Role.STANDING, tree["district"])}


def _form_data(report: Report, **values: str) -> dict[str, str]:
    data = {"version": str(report.version)}
    for section in report.template.sections.all():
        data[f"phan_{section.key}"] = f"Nội dung phần {section.number}."
    for indicator in report.template.indicators.all():
        data[f"chi_tieu_{indicator.code}"] = ""
    data.update(values)
    return data


def _first_code(report: Report) -> str:
    return report.template.indicators.order_by("order").first().code


def test_a_negative_figure_is_refused_next_to_its_field_and_nothing_is_saved(world: dict, client: Client) -> None:
    report = ReportFactory(unit=world["bach_mai"], period=world["period"])
    code = _first_code(report)
    client.force_login(world["ward_cadre"])
    response = client.post(reverse("reports:report_detail", args=[report.pk]),
                           _form_data(report, **{f"chi_tieu_{code}": "-5"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "phải là số nguyên không âm" in html
    assert 'value="-5"' in html
    report.refresh_from_db()
    assert report.version == 1 and not report.sections.exists() and not report.values.exists()


def test_a_stale_form_does_not_overwrite_a_newer_save(world: dict, client: Client) -> None:
    report = ReportFactory(unit=world["bach_mai"], period=world["period"])
    code = _first_code(report)
    client.force_login(world["ward_cadre"])
    url = reverse("reports:report_detail", args=[report.pk])
    first = _form_data(report, **{f"chi_tieu_{code}": "10"})
    client.post(url, first)
    response = client.post(url, {**first, f"chi_tieu_{code}": "99"})  # still carries version 1
    assert "đã được người khác sửa" in response.content.decode()
    assert IndicatorValue.objects.get(report=report).value == 10


def test_submit_return_resubmit_approve_and_the_totals_move(world: dict, client: Client) -> None:
    report = ReportFactory(unit=world["bach_mai"], period=world["period"])
    code = _first_code(report)
    url = reverse("reports:report_detail", args=[report.pk])
    client.force_login(world["ward_cadre"])
    client.post(url, {**_form_data(report, **{f"chi_tieu_{code}": "1.500.000"}), "gui": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    district = Client()
    district.force_login(world["district_cadre"])
    district.post(reverse("reports:report_return", args=[report.pk]), {"note": "Bổ sung số liệu quỹ."})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert "Bổ sung số liệu quỹ." in client.get(url).content.decode()

    client.post(url, {**_form_data(report, **{f"chi_tieu_{code}": "2.000.000"}), "gui": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    overview = reverse("reports:overview", args=[world["district"].pk]) + f"?ky={world['period'].pk}&chi_tieu={code}"
    assert f'data-indicator="{code}">0' in district.get(overview).content.decode()
    district.post(reverse("reports:report_approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    html = district.get(overview).content.decode()
    assert f'data-indicator="{code}">2.000.000' in html or f'data-indicator="{code}">2000000' in html


def test_the_ward_cadre_cannot_approve_its_own_report(world: dict, client: Client) -> None:
    report = ReportFactory(unit=world["bach_mai"], period=world["period"], status=ReportStatus.SUBMITTED)
    client.force_login(world["ward_cadre"])
    assert client.post(reverse("reports:report_approve", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_docx_export_is_an_official_report_numbered_once_submitted(world: dict, client: Client) -> None:
    report = ReportFactory(unit=world["district"], period=world["period"], status=ReportStatus.SUBMITTED)
    client.force_login(world["district_cadre"])
    response = client.get(reverse("reports:report_docx", args=[report.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "BÁO CÁO" in text
    assert "Số: 01/BC-MTTQ-BTT" in cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    again = client.get(reverse("reports:report_docx", args=[report.pk]))
    cells_again = "\n".join(c.text for t in Document(io.BytesIO(again.content)).tables for r in t.rows for c in r.cells)
    assert "Số: 01/BC-MTTQ-BTT" in cells_again  # the same number, not a new one


def test_starting_a_report_creates_one_draft_per_unit_and_period(world: dict, client: Client) -> None:
    client.force_login(world["ward_cadre"])
    url = reverse("reports:report_start", args=[world["bach_mai"].pk, world["period"].pk])
    first = client.post(url)
    second = client.post(url)
    assert first["Location"] == second["Location"]
    assert Report.objects.filter(unit=world["bach_mai"]).count() == 1


def test_the_list_shows_the_users_own_report_and_the_others_in_scope(world: dict, client: Client) -> None:
    own = ReportFactory(unit=world["bach_mai"], period=world["period"])
    ReportFactory(unit=world["vinh_tuy"], period=world["period"])
    client.force_login(world["ward_cadre"])
    html = client.get(reverse("reports:report_list")).content.decode()
    assert reverse("reports:report_detail", args=[own.pk]) in html
    assert "Phường Vĩnh Tuy" not in html


def test_a_new_report_starts_with_the_results_of_the_units_work_plan(world: dict, client: Client) -> None:
    import datetime as dt

    from mattran.plans import services as plan_services

    district = world["district"]
    plan = plan_services.plan_create(actor=None, unit=district, title="Kế hoạch công tác 6 tháng đầu năm 2022",
                                     period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 6, 30))
    group = plan_services.task_group_add(actor=None, plan=plan, title="Tuyên truyền, vận động")
    task = plan_services.task_add(actor=None, group=group, title="Tổ chức hội nghị", deadline=dt.date(2022, 5, 1))
    plan_services.task_update_progress(actor=None, task=task, progress=100, note="Xong.")
    client.force_login(world["district_cadre"])
    response = client.post(reverse("reports:report_start", args=[district.pk, world["period"].pk]))
    report = Report.objects.get(unit=district, period=world["period"])
    assert response.status_code == 302
    text = report.sections.get(section__key="ket-qua").text
    assert "Tuyên truyền, vận động: hoàn thành 1/1 nhiệm vụ" in text


def test_the_upper_drafter_sees_the_texts_of_the_units_below(world: dict, client: Client) -> None:
    from mattran.reports.models import ReportSection

    below = ReportFactory(unit=world["bach_mai"], period=world["period"], status=ReportStatus.APPROVED)
    ReportSection.objects.create(report=below, section=below.template.sections.get(key="ket-qua"),
                                 text="Bạch Mai đã tổ chức 3 hội nghị tiếp xúc cử tri.")
    upper = ReportFactory(unit=world["district"], period=world["period"])
    client.force_login(world["district_cadre"])
    html = client.get(reverse("reports:report_detail", args=[upper.pk])).content.decode()
    assert "Bạch Mai đã tổ chức 3 hội nghị tiếp xúc cử tri." in html


def test_the_dashboard_lists_reports_waiting_for_review_and_returned_ones(world: dict, client: Client) -> None:
    ReportFactory(unit=world["bach_mai"], period=world["period"], status=ReportStatus.SUBMITTED)
    client.force_login(world["district_cadre"])
    assert "Báo cáo cấp dưới chờ duyệt" in client.get(reverse("workspace:dashboard")).content.decode()
    Report.objects.update(status=ReportStatus.RETURNED)
    client.force_login(world["ward_cadre"])
    assert "Báo cáo bị trả lại cần sửa" in client.get(reverse("workspace:dashboard")).content.decode()


def test_the_chart_coordinates_are_plain_numbers_whatever_the_language(world: dict, client: Client) -> None:
    import re

    client.force_login(world["district_cadre"])
    html = client.get(reverse("reports:overview", args=[world["district"].pk])).content.decode()
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert not re.search(r'(x|y|width|height)="[0-9]+,[0-9]', svg)  # no decimal commas in SVG attributes


def test_a_read_only_viewer_downloads_a_submitted_report_without_taking_a_number(world: dict, client: Client) -> None:
    from mattran.documents.models import DocumentNumber

    report = ReportFactory(unit=world["bach_mai"], period=world["period"], status=ReportStatus.SUBMITTED)
    client.force_login(user_with_role(Role.VIEWER, world["bach_mai"]))
    response = client.get(reverse("reports:report_docx", args=[report.pk]))
    assert response.status_code == 200
    cells = "\n".join(c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)
    assert "/BC-MTTQ-BTT" in cells and "01/BC" not in cells
    assert not DocumentNumber.objects.exists()
