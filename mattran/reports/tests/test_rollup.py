"""The roll-up rule, on hand-made cases, on random trees and merger histories, and on the real 2025 map."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from mattran.organisations.models import AdminUnit, UnitSuccession
from mattran.organisations.tests.factories import build_tree
from mattran.reports.aggregates import COUNT_SUBMITTED, rollup_period
from mattran.reports.models import PeriodKind, ReportStatus, calendar_bounds, period_label
from mattran.reports.rollup import Succession, gather_texts, holders, rollup
from mattran.reports.tests.factories import PeriodFactory, approved_report, half

REFORM = dt.date(2025, 7, 1)
BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 12, 31)

# centre 1 → province 2 → old district 3 → old wards 4, 5; province 2 → new ward 6; centre → province 7 → 8
PARENTS: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: 3, 5: 3, 6: 2, 7: 1, 8: 7}


def test_a_parent_totals_its_own_report_and_everything_below() -> None:
    totals = rollup(PARENTS, {3: {"a": 1}, 4: {"a": 10, "b": 2}, 5: {"a": 100}, 8: {"a": 1000}})
    assert totals[3] == {"a": 111, "b": 2}
    assert totals[2] == {"a": 111, "b": 2}
    assert totals[7] == {"a": 1000}
    assert totals[1] == {"a": 1111, "b": 2}
    assert 6 not in totals


def test_before_the_merger_takes_effect_old_wards_count_toward_their_old_district() -> None:
    lineage = [Succession(4, 6, REFORM), Succession(5, 6, REFORM)]
    totals = rollup(PARENTS, {4: {"a": 10}, 5: {"a": 100}}, lineage, period_end=BEFORE)
    assert totals[3] == {"a": 110}
    assert 6 not in totals


def test_when_the_period_reaches_the_merger_old_wards_count_toward_the_successor_instead() -> None:
    lineage = [Succession(4, 6, REFORM), Succession(5, 6, REFORM)]
    totals = rollup(PARENTS, {4: {"a": 10}, 5: {"a": 100}, 6: {"a": 1}}, lineage, period_end=AFTER)
    assert totals[6] == {"a": 111}
    assert 3 not in totals  # the old district holds nothing any more
    assert totals[2] == {"a": 111}  # and the province counts each figure once
    assert totals[1] == {"a": 111}


def test_a_split_ward_counts_only_toward_its_primary_successor() -> None:
    lineage = [Succession(4, 6, REFORM, is_primary=True), Succession(4, 8, REFORM, is_primary=False)]
    totals = rollup(PARENTS, {4: {"a": 10}}, lineage, period_end=AFTER)
    assert totals[6] == {"a": 10}
    assert 8 not in totals and 7 not in totals
    assert totals[1] == {"a": 10}


def test_successions_are_followed_in_a_chain_while_each_step_is_in_effect() -> None:
    lineage = [Succession(5, 4, dt.date(2025, 1, 1)), Succession(4, 6, REFORM)]
    assert holders(lineage, dt.date(2024, 12, 31)) == {}
    assert holders(lineage, BEFORE) == {5: 4}
    assert holders(lineage, AFTER) == {5: 6, 4: 6}


def test_a_cycle_in_bad_lineage_data_does_not_hang() -> None:
    lineage = [Succession(4, 5, REFORM), Succession(5, 4, REFORM)]
    moved = holders(lineage, AFTER)
    assert set(moved) == {4, 5}
    totals = rollup(PARENTS, {4: {"a": 1}, 5: {"a": 2}}, lineage, period_end=AFTER)
    assert totals[1] == {"a": 3}


def test_texts_are_gathered_per_section_not_summed_and_blank_ones_dropped() -> None:
    gathered = gather_texts(
        [(5, "ket-qua", "Phường B làm tốt."), (4, "ket-qua", " Phường A làm tốt. "), (4, "kien-nghi", "  ")],
        order={4: 0, 5: 1},
    )
    assert gathered == {"ket-qua": [(4, "Phường A làm tốt."), (5, "Phường B làm tốt.")]}


# --- Property tests ------------------------------------------------------------------------------------------


@st.composite
def histories(draw: st.DrawFn) -> tuple[dict[int, int | None], dict[int, dict[str, int]], list[Succession], dt.date]:
    size = draw(st.integers(min_value=1, max_value=40))
    parents: dict[int, int | None] = {0: None}
    for unit in range(1, size):
        parents[unit] = draw(st.integers(min_value=0, max_value=unit - 1))
    codes = ["a", "b", "c"]
    reporting = draw(st.lists(st.sampled_from(range(size)), unique=True))
    values = {
        unit: draw(st.dictionaries(st.sampled_from(codes), st.integers(min_value=0, max_value=10**12)))
        for unit in reporting
    }
    lineage = [
        Succession(p, s, dt.date(2025, draw(st.integers(1, 12)), 1), draw(st.booleans()))
        for p, s in draw(
            st.lists(st.tuples(st.sampled_from(range(size)), st.sampled_from(range(size))), max_size=15)
        )
        if p != s
    ]
    period_end = dt.date(2025, draw(st.integers(1, 12)), 28)
    return parents, values, lineage, period_end


@given(histories())
@settings(max_examples=300, deadline=None)
def test_every_parent_totals_its_children_plus_what_it_holds_itself(
    case: tuple[dict[int, int | None], dict[int, dict[str, int]], list[Succession], dt.date],
) -> None:
    parents, values, lineage, period_end = case
    totals = rollup(parents, values, lineage, period_end=period_end)
    moved = holders(lineage, period_end)
    for unit in parents:
        held: dict[str, int] = {}
        for reporter, figures in values.items():
            if moved.get(reporter, reporter) == unit:
                for code, value in figures.items():
                    held[code] = held.get(code, 0) + value
        expected = dict(held)
        for child in (c for c, p in parents.items() if p == unit):
            for code, value in totals.get(child, {}).items():
                expected[code] = expected.get(code, 0) + value
        assert totals.get(unit, {}) == expected


@given(histories())
@settings(max_examples=300, deadline=None)
def test_the_root_total_equals_the_sum_of_every_counted_report_counted_once(
    case: tuple[dict[int, int | None], dict[int, dict[str, int]], list[Succession], dt.date],
) -> None:
    parents, values, lineage, period_end = case
    totals = rollup(parents, values, lineage, period_end=period_end)
    grand: dict[str, int] = {}
    for figures in values.values():
        for code, value in figures.items():
            grand[code] = grand.get(code, 0) + value
    assert totals.get(0, {}) == grand


@given(histories())
@settings(max_examples=100, deadline=None)
def test_a_figure_moves_only_to_a_primary_successor_in_effect_by_the_period_end(
    case: tuple[dict[int, int | None], dict[int, dict[str, int]], list[Succession], dt.date],
) -> None:
    _, _, lineage, period_end = case
    steps = {(s.predecessor, s.successor) for s in lineage if s.is_primary and s.effective_on <= period_end}
    for start, holder in holders(lineage, period_end).items():
        assert any(p == start for p, _ in steps)
        assert holder != start or any(s == start for _, s in steps)  # only a cycle leads back


@given(histories())
@settings(max_examples=200, deadline=None)
def test_presumming_plain_leaves_per_parent_changes_no_other_total(
    case: tuple[dict[int, int | None], dict[int, dict[str, int]], list[Succession], dt.date],
) -> None:
    parents, values, lineage, period_end = case
    full = rollup(parents, values, lineage, period_end=period_end)
    moved = holders(lineage, period_end)
    non_leaves = {p for p in parents.values() if p is not None}
    special = set(moved) | set(moved.values()) | non_leaves | {u for u, p in parents.items() if p is None}
    below: dict[int, dict[str, int]] = {}
    for unit, figures in values.items():
        if unit in special:
            continue
        bucket = below.setdefault(parents[unit], {})  # type: ignore[arg-type]
        for code, value in figures.items():
            bucket[code] = bucket.get(code, 0) + value
    kept = {u: f for u, f in values.items() if u in special}
    presummed = rollup(parents, kept, lineage, period_end=period_end, below=below)
    assert presummed == {u: f for u, f in full.items() if u in presummed}
    assert all(u in presummed for u in full if u in special)


# --- Database: rollup_period ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rollup_period_counts_approved_reports_only_unless_told_otherwise() -> None:
    tree = build_tree()
    period = half(2022, 1)
    approved_report(tree["bach_mai"], period, {"quy_vnn_van_dong": 5_000_000, "nha_ddk_xay_moi": 2})
    approved_report(tree["vinh_tuy"], period, {"quy_vnn_van_dong": 1_000_000}, status=ReportStatus.SUBMITTED)
    approved_report(tree["other_commune"], period, {"nha_ddk_xay_moi": 1}, status=ReportStatus.DRAFT)

    totals = rollup_period(period)
    assert totals[tree["district"].pk] == {"quy_vnn_van_dong": 5_000_000, "nha_ddk_xay_moi": 2}
    assert totals[tree["centre"].pk] == {"quy_vnn_van_dong": 5_000_000, "nha_ddk_xay_moi": 2}
    assert tree["other_province"].pk not in totals

    provisional = rollup_period(period, statuses=COUNT_SUBMITTED)
    assert provisional[tree["district"].pk]["quy_vnn_van_dong"] == 6_000_000


@pytest.mark.django_db
def test_rollup_period_for_one_unit_answers_only_for_its_subtree() -> None:
    tree = build_tree()
    period = half(2022, 1)
    approved_report(tree["bach_mai"], period, {"gia_dinh_van_hoa": 210})
    approved_report(tree["other_commune"], period, {"gia_dinh_van_hoa": 7})
    totals = rollup_period(period, unit=tree["district"])
    assert set(totals) == {tree["district"].pk, tree["bach_mai"].pk}
    figures = {"gia_dinh_van_hoa": 210}
    assert rollup_period(period, unit=tree["district"], leaves=False) == {tree["district"].pk: figures}
    assert rollup_period(period, unit=tree["bach_mai"], leaves=False) == {tree["bach_mai"].pk: figures}
    assert totals[tree["district"].pk] == {"gia_dinh_van_hoa": 210}


# --- The real 2025 map -------------------------------------------------------------------------------------


def _period(kind: str, year: int, index: int):  # type: ignore[no-untyped-def]
    start, end = calendar_bounds(kind, year, index)
    return PeriodFactory(kind=kind, year=year, index=index, start=start, end=end,
                         label=period_label(kind, year, index))


@pytest.fixture
def hanoi_2025(db: None) -> dict[str, AdminUnit]:
    call_command("load_admin_units", verbosity=0)
    keys = {
        "hanoi": "01", "district": "01/d007", "old_bach_mai": "01/d007/w00292",
        "quynh_loi": "01/d007/w00292-2024", "old_minh_khai": "01/d007/w00277", "new_bach_mai": "01/c00292",
        "old_dong_nhan": "01/d007/w00259", "new_hai_ba_trung": "01/c00256",
    }
    units = {name: AdminUnit.objects.get(key=key) for name, key in keys.items()}
    units["centre"] = AdminUnit.objects.get(parent__isnull=True)
    return units


@pytest.mark.django_db
def test_first_half_of_2025_old_hai_ba_trung_wards_count_toward_the_old_district(
    hanoi_2025: dict[str, AdminUnit],
) -> None:
    u = hanoi_2025
    h1 = _period(PeriodKind.HALF, 2025, 1)
    approved_report(u["old_bach_mai"], h1, {"qua_tang_so_suat": 300})
    approved_report(u["old_minh_khai"], h1, {"qua_tang_so_suat": 40})
    approved_report(u["old_dong_nhan"], h1, {"qua_tang_so_suat": 5})

    totals = rollup_period(h1)
    assert rollup_period(h1, leaves=False)[u["district"].pk] == {"qua_tang_so_suat": 345}
    assert totals[u["district"].pk] == {"qua_tang_so_suat": 345}
    assert u["new_bach_mai"].pk not in totals
    assert totals[u["hanoi"].pk] == {"qua_tang_so_suat": 345}
    assert totals[u["centre"].pk] == {"qua_tang_so_suat": 345}


@pytest.mark.django_db
def test_the_quynh_loi_merger_of_january_2025_moves_its_figures_to_bach_mai_within_2025_only(
    hanoi_2025: dict[str, AdminUnit],
) -> None:
    u = hanoi_2025
    h2_2024 = _period(PeriodKind.HALF, 2024, 2)
    h1_2025 = _period(PeriodKind.HALF, 2025, 1)
    approved_report(u["quynh_loi"], h2_2024, {"hoc_bong_so_suat": 12})
    approved_report(u["quynh_loi"], h1_2025, {"hoc_bong_so_suat": 3})  # a late report of the merged ward
    assert rollup_period(h2_2024)[u["quynh_loi"].pk] == {"hoc_bong_so_suat": 12}
    h1 = rollup_period(h1_2025)
    assert u["quynh_loi"].pk not in h1
    assert h1[u["old_bach_mai"].pk] == {"hoc_bong_so_suat": 3}


@pytest.mark.django_db
def test_a_period_spanning_the_reform_counts_legacy_bach_mai_in_the_new_bach_mai_ward_once(
    hanoi_2025: dict[str, AdminUnit],
) -> None:
    u = hanoi_2025
    year = _period(PeriodKind.YEAR, 2025, 1)
    approved_report(u["old_bach_mai"], year, {"quy_vnn_van_dong": 550_000_000})
    approved_report(u["old_minh_khai"], year, {"quy_vnn_van_dong": 50_000_000})
    approved_report(u["new_bach_mai"], year, {"quy_vnn_van_dong": 1_000_000})
    approved_report(u["old_dong_nhan"], year, {"quy_vnn_van_dong": 7})  # → the new Hai Bà Trưng ward

    totals = rollup_period(year)
    upper = rollup_period(year, leaves=False)
    assert upper == {pk: figures for pk, figures in totals.items() if pk in upper}
    assert upper[u["hanoi"].pk] == totals[u["hanoi"].pk]
    assert upper[u["new_bach_mai"].pk] == {"quy_vnn_van_dong": 601_000_000}  # receives figures: not presummed
    assert totals[u["new_bach_mai"].pk] == {"quy_vnn_van_dong": 601_000_000}
    assert totals[u["new_hai_ba_trung"].pk] == {"quy_vnn_van_dong": 7}
    assert u["district"].pk not in totals
    assert totals[u["hanoi"].pk] == {"quy_vnn_van_dong": 601_000_007}
    assert totals[u["centre"].pk] == {"quy_vnn_van_dong": 601_000_007}

    only_ward = rollup_period(year, unit=u["new_bach_mai"])
    assert only_ward == {u["new_bach_mai"].pk: {"quy_vnn_van_dong": 601_000_000}}
    assert UnitSuccession.objects.filter(predecessor=u["old_bach_mai"], successor=u["new_bach_mai"]).exists()
