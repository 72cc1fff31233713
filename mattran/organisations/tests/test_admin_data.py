"""The committed administrative-unit file, the wheel reader and builder, path computation, and the loader."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from mattran.audit.models import AuditEvent
from mattran.organisations import admin_data
from mattran.organisations.admin_data import (
    LOAD_ACTION,
    Dataset,
    DatasetError,
    LoadResult,
    SuccessionRecord,
    UnitRecord,
    admin_units_load,
    compute_paths,
    dump_dataset,
    parse_dataset,
    read_dataset,
)
from mattran.organisations.models import REFORM_DATE, AdminUnit, UnitLevel, UnitSuccession


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_dataset()


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[LoadResult]:
    """The whole file loaded once for this module, inside a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.monotonic()
        result = admin_units_load()
        result = replace(result, seconds=time.monotonic() - started)
        yield result
        transaction.set_rollback(True)


# --- The committed file -------------------------------------------------------------------------------------------


def test_file_has_34_current_provinces_and_3321_current_communes(dataset: Dataset) -> None:
    today = dt.date(2026, 1, 1)
    current = [unit for unit in dataset.units if unit.is_valid_on(today)]
    provinces = [unit for unit in current if unit.level == UnitLevel.PROVINCE]
    communes = [unit for unit in current if unit.level == UnitLevel.COMMUNE]
    assert len(provinces) == 34
    assert len(communes) == 3321
    assert sum(unit.type_name == "Xã" for unit in communes) == 2621
    assert sum(unit.type_name == "Phường" for unit in communes) == 687
    assert sum(unit.type_name == "Đặc khu" for unit in communes) == 13
    assert {unit.type_name for unit in provinces} == {"Thành phố", "Tỉnh"}
    assert sum(unit.type_name == "Thành phố" for unit in provinces) == 6


def test_only_merged_provinces_start_on_the_reform_date(dataset: Dataset) -> None:
    provinces = {unit.key: unit for unit in dataset.units if unit.level == UnitLevel.PROVINCE}
    merged = {item["province"] for item in dataset.province_lineage}
    assert len(merged) == 23
    assert {key for key, unit in provinces.items() if unit.valid_from == REFORM_DATE} == merged
    assert provinces["01"].valid_from is None  # Hà Nội was not merged
    assert provinces["92"].valid_from == REFORM_DATE  # Cần Thơ absorbed Hậu Giang and Sóc Trăng


def test_file_is_written_deterministically(dataset: Dataset) -> None:
    text = admin_data.DATA_FILE.read_text(encoding="utf-8")
    assert dump_dataset(parse_dataset(text)) == text
    assert [unit.key for unit in dataset.units] == sorted(unit.key for unit in dataset.units)
    assert len(text.encode("utf-8")) < 2_000_000


def test_every_row_names_its_source(dataset: Dataset) -> None:
    assert all(unit.source for unit in dataset.units)
    assert dataset.meta["package"] == "vietnamadminunits"
    assert dataset.meta["version"] == "1.0.4"


def test_current_and_legacy_keys_never_collide(dataset: Dataset) -> None:
    keys = [unit.key for unit in dataset.units]
    assert len(keys) == len(set(keys))
    bach_mai = [unit for unit in dataset.units if unit.name == "Phường Bạch Mai" and unit.key.startswith("01/")]
    assert {unit.key for unit in bach_mai} == {"01/c00292", "01/d007/w00292"}  # same GSO code, two units


def test_every_legacy_hanoi_ward_has_a_2025_successor(dataset: Dataset) -> None:
    legacy = {unit.key for unit in dataset.units if unit.valid_to == admin_data.LEGACY_LAST_DAY
              and unit.level == UnitLevel.COMMUNE}
    to_2025 = [item for item in dataset.successions if item.effective_on == REFORM_DATE]
    assert len(legacy) == 526
    assert {item.predecessor for item in to_2025} == legacy
    for predecessor in legacy:
        links = [item for item in to_2025 if item.predecessor == predecessor]
        assert sum(item.is_primary for item in links) == 1
        assert all(item.kind == ("merged" if len(links) == 1 else "split") for item in links)


def test_supplement_wards_end_in_2024_and_join_their_neighbours(dataset: Dataset) -> None:
    names = {unit.key: unit.name for unit in dataset.units}
    joined = {
        (names[item.predecessor], names[item.successor], item.kind, item.is_primary)
        for item in dataset.successions if item.effective_on == dt.date(2025, 1, 1)
    }
    assert joined == {
        ("Phường Quỳnh Lôi", "Phường Bạch Mai", "merged", True),
        ("Phường Đống Mác", "Phường Đồng Nhân", "merged", True),
        ("Phường Cầu Dền", "Phường Bách Khoa", "split", True),
        ("Phường Cầu Dền", "Phường Thanh Nhàn", "split", False),
    }


# --- Building from a wheel -----------------------------------------------------------------------------------------


def _tiny_wheel(path: Path) -> Path:
    """A wheel shaped like vietnamadminunits: two provinces merged into one, Hà Nội with one district."""
    path.mkdir(parents=True, exist_ok=True)
    db = path / "dataset.db"
    connection = sqlite3.connect(db)
    connection.execute(f"CREATE TABLE admin_units ({', '.join(admin_data._CURRENT_COLUMNS)})")
    connection.execute(f"CREATE TABLE admin_units_legacy ({', '.join(admin_data._LEGACY_COLUMNS)})")
    connection.executemany("INSERT INTO admin_units VALUES (?,?,?,?,?,?,?,?,?)", [
        ("Thành phố Hà Nội", "Hà Nội", "01", "thanhphohanoi", "Phường Hoàn Kiếm", "Hoàn Kiếm", "Phường", "00070",
         "phuonghoankiem"),
        ("Thành phố Hà Nội", "Hà Nội", "01", "thanhphohanoi", "Phường Cửa Nam", "Cửa Nam", "Phường", "00082",
         "phuongcuanam"),
        ("Tỉnh Tuyên Quang", "Tuyên Quang", "08", "tinhtuyenquang", "Xã Mèo Vạc", "Mèo Vạc", "Xã", "00001",
         "xameovac"),
    ])
    connection.executemany("INSERT INTO admin_units_legacy VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
        ("Thành phố Hà Nội", "Hà Nội", "01", "thanhphohanoi", "Quận Hoàn Kiếm", "Hoàn Kiếm", "Quận", "002",
         "quanhoankiem", "Phường Hàng Bạc", "Hàng Bạc", "Phường", "00061", "phuonghangbac"),
        ("Thành phố Hà Nội", "Hà Nội", "01", "thanhphohanoi", "Quận Hoàn Kiếm", "Hoàn Kiếm", "Quận", "002",
         "quanhoankiem", "Phường Hàng Bài", "Hàng Bài", "Phường", "00088", "phuonghangbai"),
        ("Tỉnh Hà Giang", "Hà Giang", "02", "tinhhagiang", "Huyện Mèo Vạc", "Mèo Vạc", "Huyện", "030",
         "huyenmeovac", "Thị trấn Mèo Vạc", "Mèo Vạc", "Thị trấn", "00700", "thitranmeovac"),
        ("Tỉnh Tuyên Quang", "Tuyên Quang", "08", "tinhtuyenquang", "Huyện Na Hang", "Na Hang", "Huyện", "072",
         "huyennahang", "Xã Sơn Phú", "Sơn Phú", "Xã", "02300", "xasonphu"),
    ])
    connection.commit()
    connection.close()
    converter = {
        "DICT_PROVINCE": {"thanhphohanoi": ["thanhphohanoi"], "tinhtuyenquang": ["tinhhagiang", "tinhtuyenquang"]},
        "DICT_PROVINCE_WARD_NO_DIVIDED": {
            "thanhphohanoi": {"phuonghoankiem": ["thanhphohanoi_quanhoankiem_phuonghangbac"]},
            "tinhtuyenquang": {"xameovac": ["tinhhagiang_huyenmeovac_thitranmeovac",
                                            "tinhtuyenquang_huyennahang_xasonphu"]},
        },
        "DICT_PROVINCE_WARD_DIVIDED": {"thanhphohanoi": {"thanhphohanoi_quanhoankiem_phuonghangbai": [
            {"newWardKey": "phuonghoankiem", "isDefaultNewWard": False},
            {"newWardKey": "phuongcuanam", "isDefaultNewWard": True},
        ]}},
    }
    wheel = path / "vietnamadminunits-1.0.4-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(db, "vietnamadminunits/data/dataset.db")
        archive.writestr("vietnamadminunits/data/converter_2025.json", json.dumps(converter))
        archive.writestr("vietnamadminunits-1.0.4.dist-info/licenses/LICENSE",
                         "MIT License\n\nCopyright (c) 2025 Someone\n")
    return wheel


def test_build_from_a_wheel_is_byte_identical_and_records_lineage(tmp_path: Path) -> None:
    first = dump_dataset(admin_data.build_dataset(admin_data.read_wheel(_tiny_wheel(tmp_path / "a")), {}))
    second = dump_dataset(admin_data.build_dataset(admin_data.read_wheel(_tiny_wheel(tmp_path / "b")), {}))
    assert first == second

    built = parse_dataset(first)
    units = {unit.key: unit for unit in built.units}
    assert set(units) == {"VN", "01", "08", "01/c00070", "01/c00082", "08/c00001", "01/d002", "01/d002/w00061",
                          "01/d002/w00088"}
    assert units["01"].valid_from is None and units["08"].valid_from == REFORM_DATE
    assert units["01/d002/w00061"].parent == "01/d002" and units["01/d002"].parent == "01"
    assert units["01/d002"].valid_to == dt.date(2025, 6, 30)
    links = {(item.predecessor, item.successor, item.kind, item.is_primary) for item in built.successions}
    assert links == {
        ("01/d002/w00061", "01/c00070", "merged", True),
        ("01/d002/w00088", "01/c00070", "split", False),
        ("01/d002/w00088", "01/c00082", "split", True),
    }
    assert built.province_lineage == ({"province": "08", "name": "Tỉnh Tuyên Quang",
                                       "from": [["02", "Tỉnh Hà Giang"], ["08", "Tỉnh Tuyên Quang"]]},)
    assert "Copyright (c) 2025 Someone" in built.meta["licence"]


def test_build_command_refuses_a_wheel_that_is_not_the_pinned_one(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="sha256"):
        call_command("build_admin_units", wheel=_tiny_wheel(tmp_path), output=tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


def test_validation_rejects_a_unit_whose_parent_is_missing(dataset: Dataset) -> None:
    orphan = UnitRecord("X/1", "commune", "Xã", "Xã Mồ Côi", "Mồ Côi", "", "X", None, None, "test")
    with pytest.raises(DatasetError, match="không có đơn vị cấp trên"):
        admin_data.validate_dataset(replace(dataset, units=(*dataset.units, orphan)))


# --- Paths ---------------------------------------------------------------------------------------------------------


Forest = tuple[dict[int, int | None], dict[int, int]]


@st.composite
def forests(draw: st.DrawFn) -> Forest:
    """Random forests: node ``i``'s parent is an earlier node or none; primary keys are a random permutation."""
    size = draw(st.integers(min_value=1, max_value=60))
    parent_of: dict[int, int | None] = {}
    for node in range(size):
        parent_of[node] = draw(st.one_of(st.none(), st.integers(0, node - 1))) if node else None
    pks = draw(st.permutations(range(1, size + 1)))
    order = draw(st.permutations(range(size)))
    return {node: parent_of[node] for node in order}, dict(enumerate(pks))


@given(forests())
def test_paths_extend_the_parent_path_by_the_own_primary_key(forest: Forest) -> None:
    parent_of, pk_of = forest
    paths = compute_paths(parent_of, pk_of)
    assert set(paths) == set(parent_of)
    for node, parent in parent_of.items():
        expected_prefix = "/" if parent is None else paths[parent]
        assert paths[node] == f"{expected_prefix}{pk_of[node]}/"
    assert len(set(paths.values())) == len(paths)


def test_paths_reject_cycles_and_unknown_parents() -> None:
    with pytest.raises(ValueError, match="cycle"):
        compute_paths({"a": "b", "b": "a"}, {"a": 1, "b": 2})
    with pytest.raises(ValueError, match="unknown parent"):
        compute_paths({"a": "zz"}, {"a": 1})


# --- Loading the real file -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_creates_every_unit_quickly(loaded: LoadResult, dataset: Dataset) -> None:
    assert loaded.units_created == len(dataset.units) == 3915
    assert loaded.successions_created == len(dataset.successions)
    assert loaded.seconds < 5
    assert AdminUnit.objects.current().filter(level=UnitLevel.COMMUNE).count() == 3321
    assert AdminUnit.objects.current().filter(level=UnitLevel.PROVINCE).count() == 34


@pytest.mark.django_db
def test_hai_ba_trung_had_18_wards_in_2022_and_15_in_early_2025(loaded: LoadResult) -> None:
    district = AdminUnit.objects.get(level=UnitLevel.DISTRICT, name="Quận Hai Bà Trưng")
    wards = district.children.filter(level=UnitLevel.COMMUNE)
    assert wards.valid_on(dt.date(2022, 7, 1)).count() == 18
    assert wards.valid_on(dt.date(2025, 3, 1)).count() == 15
    assert wards.valid_on(dt.date(2025, 7, 2)).count() == 0
    assert not district.is_valid_on(dt.date(2025, 7, 2))


@pytest.mark.django_db
def test_legacy_bach_mai_succeeds_to_the_2025_bach_mai(loaded: LoadResult) -> None:
    legacy = AdminUnit.objects.get(key="01/d007/w00292")
    assert legacy.name == "Phường Bạch Mai"
    succession = UnitSuccession.objects.select_related("successor").get(predecessor=legacy)
    assert succession.successor.name == "Phường Bạch Mai"
    assert succession.successor.valid_from == REFORM_DATE
    assert succession.successor.parent_id == AdminUnit.objects.get(key="01").pk
    assert (succession.effective_on, succession.kind, succession.is_primary) == (REFORM_DATE, "merged", True)
    quynh_loi = UnitSuccession.objects.get(successor=legacy, effective_on=dt.date(2025, 1, 1)).predecessor
    assert (quynh_loi.name, quynh_loi.valid_to) == ("Phường Quỳnh Lôi", dt.date(2024, 12, 31))


@pytest.mark.django_db
def test_every_path_starts_with_the_parent_path(loaded: LoadResult) -> None:
    rows = dict(AdminUnit.objects.values_list("pk", "path"))
    for pk, parent_id, path in AdminUnit.objects.values_list("pk", "parent_id", "path"):
        assert path.endswith(f"/{pk}/")
        assert path.startswith(rows[parent_id] if parent_id else "/")
        assert path == (rows[parent_id] if parent_id else "/") + f"{pk}/"
    hanoi = AdminUnit.objects.get(key="01")
    assert AdminUnit.objects.under(hanoi).filter(level=UnitLevel.COMMUNE).count() == 126 + 526 + 3


@pytest.mark.django_db
def test_loading_twice_changes_nothing(loaded: LoadResult) -> None:
    before = dict(AdminUnit.objects.values_list("key", "updated_at"))
    successions = UnitSuccession.objects.count()
    events = AuditEvent.objects.filter(action=LOAD_ACTION).count()

    again = admin_units_load()

    assert not again.changed
    assert (again.units_created, again.units_updated, again.successions_created) == (0, 0, 0)
    assert dict(AdminUnit.objects.values_list("key", "updated_at")) == before
    assert UnitSuccession.objects.count() == successions
    assert AuditEvent.objects.filter(action=LOAD_ACTION).count() == events


@pytest.mark.django_db
def test_the_load_is_audited_once_against_the_root(loaded: LoadResult) -> None:
    event = AuditEvent.objects.get(action=LOAD_ACTION)
    root = AdminUnit.objects.get(key="VN")
    assert (event.target_id, event.unit_path, event.actor_id) == (str(root.pk), root.path, None)
    assert event.changes["units_created"] == 3915


@pytest.mark.django_db
def test_load_command_prints_a_vietnamese_summary(loaded: LoadResult, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_admin_units")
    assert "không có gì thay đổi" in capsys.readouterr().out


# --- Loading edited data: updates in place, never deletes -------------------------------------------------------


def _small(*units: UnitRecord, successions: tuple[SuccessionRecord, ...] = ()) -> Dataset:
    return Dataset(meta={"package": "test", "version": "0"}, province_lineage=(), units=units,
                   successions=successions)


def _unit(key: str, parent: str | None, level: str, name: str, **extra: Any) -> UnitRecord:
    values = {"type_name": "Xã", "short_name": name, "code": "", "valid_from": None, "valid_to": None,
              "source": "test", **extra}
    return UnitRecord(key=key, level=level, name=name, parent=parent, **values)


@pytest.mark.django_db
def test_a_changed_name_or_parent_is_updated_in_place_and_dependants_follow() -> None:
    root = _unit("T", None, "central", "Gốc")
    first = _unit("T/1", "T", "province", "Tỉnh Một")
    second = _unit("T/2", "T", "province", "Tỉnh Hai")
    district = _unit("T/1/d", "T/1", "district", "Huyện D")
    commune = _unit("T/1/d/a", "T/1/d", "commune", "Xã A")
    admin_units_load(dataset=_small(root, first, second, district, commune))
    before = AdminUnit.objects.get(key="T/1/d")
    ward = AdminUnit.objects.get(key="T/1/d/a")
    hamlet = AdminUnit(level=UnitLevel.RESIDENTIAL, type_name="Thôn", name="Thôn 1", short_name="Thôn 1",
                       key="T/1/d/a/t1", parent=ward)
    hamlet.save()

    moved = replace(district, parent="T/2", name="Huyện D mới", valid_to=dt.date(2025, 6, 30))
    added = _unit("T/1/d/b", "T/1/d", "commune", "Xã B")
    result = admin_units_load(dataset=_small(root, first, second, moved, commune, added))

    assert (result.units_created, result.units_updated) == (1, 2)  # the district, and its ward's path
    after = AdminUnit.objects.get(key="T/1/d")
    assert after.pk == before.pk
    assert (after.name, after.parent_id, after.valid_to) == ("Huyện D mới", AdminUnit.objects.get(key="T/2").pk,
                                                          dt.date(2025, 6, 30))
    assert after.updated_at > before.updated_at
    assert after.path == f"{AdminUnit.objects.get(key='T/2').path}{after.pk}/"
    for key in ("T/1/d/a", "T/1/d/b", "T/1/d/a/t1"):
        unit = AdminUnit.objects.select_related("parent").get(key=key)
        assert unit.parent is not None
        assert unit.path == f"{unit.parent.path}{unit.pk}/"


@pytest.mark.django_db
def test_units_missing_from_the_file_are_kept() -> None:
    root = _unit("T", None, "central", "Gốc")
    province = _unit("T/1", "T", "province", "Tỉnh Một")
    link = SuccessionRecord("T/1", "T/2", REFORM_DATE, "merged", True, "")
    admin_units_load(dataset=_small(root, province, _unit("T/2", "T", "province", "Tỉnh Hai"),
                                    successions=(link,)))

    result = admin_units_load(dataset=_small(root, province))

    assert not result.changed
    assert AdminUnit.objects.filter(key="T/2").exists()
    assert UnitSuccession.objects.filter(predecessor__key="T/1").count() == 1
