from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.organisations.models import AdminUnit
from mattran.organisations.tests.factories import build_tree
from mattran.reports import selectors
from mattran.reports.models import ReportStatus
from mattran.reports.tests.factories import ReportFactory, approved_report, half

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, AdminUnit]:
    return build_tree()


def test_a_ward_cadre_sees_only_the_reports_of_the_ward(tree: dict[str, AdminUnit]) -> None:
    period = half(2022, 1)
    own = ReportFactory(unit=tree["bach_mai"], period=period)
    ReportFactory(unit=tree["vinh_tuy"], period=period)
    ReportFactory(unit=tree["bach_mai"], period=half(2022, 2))
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    assert list(selectors.reports_visible_to(user=cadre, period=period)) == [own]
    assert selectors.reports_visible_to(user=cadre).count() == 2
    district_viewer = user_with_role(Role.VIEWER, tree["district"])
    assert selectors.reports_visible_to(user=district_viewer, period=period).count() == 2


def test_a_report_out_of_scope_answers_404(tree: dict[str, AdminUnit]) -> None:
    other = ReportFactory(unit=tree["vinh_tuy"], period=half(2022, 1))
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    with pytest.raises(Http404):
        selectors.report_for(user=cadre, pk=other.pk)


def test_submission_status_lists_every_unit_below_with_its_status_and_who_is_late(
    tree: dict[str, AdminUnit],
) -> None:
    period = half(2022, 1)
    ReportFactory(unit=tree["bach_mai"], period=period, status=ReportStatus.SUBMITTED)
    standing = user_with_role(Role.STANDING, tree["district"])
    rows = selectors.submission_status(user=standing, unit=tree["district"], period=period,
                                       today=dt.date(2022, 7, 6))
    by_unit = {row.unit: row for row in rows}
    assert set(by_unit) == {tree["bach_mai"], tree["vinh_tuy"]}
    assert by_unit[tree["bach_mai"]].has_submitted and not by_unit[tree["bach_mai"]].is_late
    missing = by_unit[tree["vinh_tuy"]]
    assert missing.report is None and missing.status_label == "Chưa lập báo cáo"
    assert missing.due_on == dt.date(2022, 7, 5) and missing.is_late


def test_submission_status_leaves_out_units_that_did_not_exist_in_the_period(tree: dict[str, AdminUnit]) -> None:
    AdminUnit(level="commune", type_name="Phường", name="Phường Mới", short_name="Mới", key="test/new",
              parent=tree["district"], valid_from=dt.date(2025, 7, 1)).save()
    standing = user_with_role(Role.STANDING, tree["district"])
    rows = selectors.submission_status(user=standing, unit=tree["district"], period=half(2022, 1))
    assert len(rows) == 2


def test_submission_status_of_a_unit_out_of_scope_answers_404(tree: dict[str, AdminUnit]) -> None:
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    with pytest.raises(Http404):
        selectors.submission_status(user=cadre, unit=tree["district"], period=half(2022, 1))


def test_indicator_totals_roll_up_approved_figures_and_list_every_indicator(tree: dict[str, AdminUnit]) -> None:
    period = half(2022, 1)
    approved_report(tree["bach_mai"], period, {"quy_vnn_van_dong": 300_000_000, "gia_dinh_van_hoa": 120})
    approved_report(tree["vinh_tuy"], period, {"quy_vnn_van_dong": 250_000_000})
    approved_report(tree["other_commune"], period, {"quy_vnn_van_dong": 9})
    standing = user_with_role(Role.STANDING, tree["district"])
    totals = {row.indicator.code: row.value
              for row in selectors.indicator_totals(user=standing, unit=tree["district"], period=period)}
    assert totals["quy_vnn_van_dong"] == 550_000_000
    assert totals["gia_dinh_van_hoa"] == 120
    assert totals["hoc_bong_so_suat"] == 0
    assert len(totals) >= 20


def test_ranking_orders_the_units_below_highest_first_with_shared_ranks(tree: dict[str, AdminUnit]) -> None:
    period = half(2022, 1)
    third = AdminUnit(level="commune", type_name="Phường", name="Phường Lê Đại Hành", short_name="Lê Đại Hành",
                      key="test/ldh", parent=tree["district"])
    third.save()
    approved_report(tree["bach_mai"], period, {"nha_ddk_xay_moi": 3})
    approved_report(tree["vinh_tuy"], period, {"nha_ddk_xay_moi": 7})
    approved_report(third, period, {"nha_ddk_xay_moi": 3})
    standing = user_with_role(Role.STANDING, tree["district"])
    rows = selectors.ranking(user=standing, unit=tree["district"], period=period, indicator="nha_ddk_xay_moi")
    assert [(r.rank, r.unit, r.value) for r in rows] == [
        (1, tree["vinh_tuy"], 7), (2, tree["bach_mai"], 3), (2, third, 3),
    ]


def test_indicator_series_gives_one_total_per_period_in_time_order(tree: dict[str, AdminUnit]) -> None:
    h1, h2 = half(2022, 1), half(2022, 2)
    approved_report(tree["bach_mai"], h1, {"hoc_bong_so_suat": 10})
    approved_report(tree["bach_mai"], h2, {"hoc_bong_so_suat": 15})
    viewer = user_with_role(Role.VIEWER, tree["hanoi"])
    series = selectors.indicator_series(user=viewer, unit=tree["hanoi"], indicator="hoc_bong_so_suat",
                                        periods=[h2, h1])
    assert series == [(h1, 10), (h2, 15)]


def test_section_texts_of_the_units_below_are_gathered_for_the_upper_drafter(tree: dict[str, AdminUnit]) -> None:
    from mattran.reports.models import ReportSection

    period = half(2022, 1)
    for unit, text, status in [
        (tree["bach_mai"], "Bạch Mai: dư luận ổn định.", ReportStatus.SUBMITTED),
        (tree["vinh_tuy"], "Vĩnh Tuy: quan tâm giải phóng mặt bằng.", ReportStatus.APPROVED),
    ]:
        report = ReportFactory(unit=unit, period=period, status=status)
        ReportSection.objects.create(report=report, section=report.template.sections.get(key="tinh-hinh"),
                                     text=text)
    draft = ReportFactory(unit=tree["other_commune"], period=period)
    ReportSection.objects.create(report=draft, section=draft.template.sections.get(key="tinh-hinh"), text="x")
    standing = user_with_role(Role.STANDING, tree["district"])
    gathered = selectors.section_texts_below(user=standing, unit=tree["district"], period=period)
    assert gathered == {"tinh-hinh": [(tree["bach_mai"], "Bạch Mai: dư luận ổn định."),
                                      (tree["vinh_tuy"], "Vĩnh Tuy: quan tâm giải phóng mặt bằng.")]}


def test_ranking_after_a_merger_credits_the_successor_with_its_predecessors_figures(
    tree: dict[str, AdminUnit],
) -> None:
    from mattran.organisations.models import UnitSuccession

    new_ward = AdminUnit(level="commune", type_name="Phường", name="Phường Bạch Mai (mới)", short_name="Bạch Mai",
                         key="test/new-bm", parent=tree["hanoi"], valid_from=dt.date(2025, 7, 1))
    new_ward.save()
    for old in (tree["bach_mai"], tree["vinh_tuy"]):
        old.valid_to = dt.date(2025, 6, 30)
        old.save()
    tree["district"].valid_to = dt.date(2025, 6, 30)
    tree["district"].save()
    UnitSuccession.objects.create(predecessor=tree["bach_mai"], successor=new_ward, effective_on=dt.date(2025, 7, 1))
    year = half(2025, 2)
    approved_report(tree["bach_mai"], year, {"nha_ddk_xay_moi": 4})
    approved_report(new_ward, year, {"nha_ddk_xay_moi": 1})
    approved_report(tree["vinh_tuy"], year, {"nha_ddk_xay_moi": 2})
    standing = user_with_role(Role.STANDING, tree["hanoi"])
    rows = selectors.ranking(user=standing, unit=tree["hanoi"], period=year, indicator="nha_ddk_xay_moi")
    # The district no longer exists in the second half of 2025, so it is not ranked; Vĩnh Tuy, which has no
    # successor here, still counts in Hà Nội's total through it.
    assert [(r.unit, r.value) for r in rows] == [(new_ward, 5)]
    totals = {t.indicator.code: t.value for t in selectors.indicator_totals(user=standing, unit=tree["hanoi"],
                                                                             period=year)}
    assert totals["nha_ddk_xay_moi"] == 7


def test_rolling_up_one_indicator_gives_the_same_total_as_rolling_up_all() -> None:
    """The chart rolls up only its indicator; the figure must not differ from the full roll-up."""
    from mattran.organisations.tests.factories import build_tree
    from mattran.reports.aggregates import rollup_period
    from mattran.reports.tests.factories import PeriodFactory, approved_report

    tree = build_tree()
    period = PeriodFactory()
    approved_report(tree["bach_mai"], period, {"quy_vnn_van_dong": 100, "qua_tang_so_suat": 7})
    approved_report(tree["vinh_tuy"], period, {"quy_vnn_van_dong": 50})
    full = rollup_period(period, unit=tree["hanoi"], leaves=False)
    one = rollup_period(period, unit=tree["hanoi"], leaves=False, codes=["quy_vnn_van_dong"])
    assert one[tree["hanoi"].pk] == {"quy_vnn_van_dong": 150}
    assert full[tree["hanoi"].pk]["quy_vnn_van_dong"] == 150
    assert full[tree["hanoi"].pk]["qua_tang_so_suat"] == 7
