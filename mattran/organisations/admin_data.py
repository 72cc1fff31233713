"""Vietnam's administrative units as a committed data file, and loading that file into the database.

The file ``data/admin_units.json`` is derived from the MIT-licensed ``vietnamadminunits`` wheel (see
``data/README.md``). Building it is a chain of pure functions: :func:`read_wheel` reads the wheel's SQLite
database and converter mapping, :func:`build_dataset` turns them (plus the hand-written supplement) into unit
and succession records, :func:`dump_dataset` writes them deterministically. :func:`admin_units_load` is the one
writing function: it upserts units by ``key`` (never deleting), keeps the materialised ``path`` right (the rule is
:func:`compute_paths`), adds the lineage and records one audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from mattran.audit.services import record
from mattran.organisations.models import REFORM_DATE, AdminUnit, UnitLevel, UnitSuccession

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
WHEEL_SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"
UPSTREAM_URL = "https://github.com/tranngocminhhieu/vietnamadminunits"
FORMAT = 1

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = DATA_DIR / "admin_units.json"
SUPPLEMENT_FILE = DATA_DIR / "supplement_hanoi_2025-01.json"

ROOT_KEY = "VN"
HANOI_CODE = "01"
LEGACY_LAST_DAY = REFORM_DATE - dt.timedelta(days=1)
HANOI_2025_BASIS = "Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025"
LOAD_ACTION = "organisations.admin_units.load"

SOURCE_ROOT = "Mặt trận: đơn vị gốc"
SOURCE_CURRENT = f"{PACKAGE} {VERSION} (MIT), bảng admin_units"
SOURCE_LEGACY = f"{PACKAGE} {VERSION} (MIT), bảng admin_units_legacy"
SOURCE_SUPPLEMENT = f"Bổ sung thủ công: {SUPPLEMENT_FILE.name}"

_CURRENT_COLUMNS = (
    "province", "provinceShort", "provinceCode", "provinceKey", "ward", "wardShort", "wardType", "wardCode", "wardKey",
)
_LEGACY_COLUMNS = (
    "province", "provinceShort", "provinceCode", "provinceKey", "district", "districtShort", "districtType",
    "districtCode", "districtKey", "ward", "wardShort", "wardType", "wardCode", "wardKey",
)
_LEVEL_DEPTH = {UnitLevel.CENTRAL: 0, UnitLevel.PROVINCE: 1, UnitLevel.DISTRICT: 2, UnitLevel.COMMUNE: 3}

K = TypeVar("K", bound=Hashable)


class DatasetError(ValueError):
    """The upstream data, the supplement or the committed file is not what this module expects."""


# --- Records -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRecord:
    key: str
    level: str
    type_name: str
    name: str
    short_name: str
    code: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class SuccessionRecord:
    predecessor: str
    successor: str
    effective_on: dt.date
    kind: str
    is_primary: bool
    legal_basis: str


@dataclass(frozen=True)
class Dataset:
    meta: dict[str, Any]
    province_lineage: tuple[dict[str, Any], ...]
    units: tuple[UnitRecord, ...]
    successions: tuple[SuccessionRecord, ...]

    @property
    def root(self) -> UnitRecord:
        return next(unit for unit in self.units if unit.parent is None)


@dataclass(frozen=True)
class Upstream:
    """The parts of the wheel that the data file is derived from."""

    wheel_sha256: str
    current: tuple[dict[str, str], ...]
    legacy: tuple[dict[str, str], ...]
    converter: dict[str, Any]
    licence: str


# --- Reading the wheel ---------------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_wheel(path: Path) -> Upstream:
    """Read the dataset, the 2025 converter mapping and the licence straight from the wheel (no import)."""
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        db_bytes = wheel.read(f"{PACKAGE}/data/dataset.db")
        converter = json.loads(wheel.read(f"{PACKAGE}/data/converter_2025.json").decode("utf-8"))
        licence_name = next((n for n in names if n.endswith(".dist-info/licenses/LICENSE")), None)
        licence = wheel.read(licence_name).decode("utf-8") if licence_name else ""
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "dataset.db"
        db_path.write_bytes(db_bytes)
        connection = sqlite3.connect(db_path)
        try:
            current = _select(connection, "admin_units", _CURRENT_COLUMNS, "provinceCode, wardCode")
            legacy = _select(connection, "admin_units_legacy", _LEGACY_COLUMNS, "provinceCode, districtCode, wardCode")
        finally:
            connection.close()
    return Upstream(wheel_sha256=file_sha256(path), current=current, legacy=legacy, converter=converter,
                    licence=licence)


def _select(
    connection: sqlite3.Connection, table: str, columns: Sequence[str], order: str,
) -> tuple[dict[str, str], ...]:
    column_list = ", ".join(f'"{column}"' for column in columns)
    rows = connection.execute(f"SELECT {column_list} FROM {table} ORDER BY {order}").fetchall()  # noqa: S608
    return tuple({column: (value or "") for column, value in zip(columns, row, strict=True)} for row in rows)


# --- Building the dataset (pure) ------------------------------------------------------------------------------------


def province_key(code: str) -> str:
    return code


def commune_key(province_code: str, ward_code: str) -> str:
    """Current (2025) commune. The ``c`` keeps it apart from the legacy ward that had the same GSO code."""
    return f"{province_code}/c{ward_code}"


def district_key(province_code: str, district_code: str) -> str:
    return f"{province_code}/d{district_code}"


def legacy_ward_key(province_code: str, district_code: str, ward_code: str) -> str:
    return f"{district_key(province_code, district_code)}/w{ward_code}"


def build_dataset(upstream: Upstream, supplement: Mapping[str, Any], *, supplement_sha256: str = "") -> Dataset:
    """All records of the data file: centre, 34 provinces, 3,321 communes, Hà Nội before 2025, lineage."""
    converter = upstream.converter
    merged_from: dict[str, list[str]] = converter["DICT_PROVINCE"]

    root = UnitRecord(ROOT_KEY, UnitLevel.CENTRAL.value, "Trung ương", "Trung ương", "Trung ương", "", None, None,
                      None, SOURCE_ROOT)
    units: dict[str, UnitRecord] = {root.key: root}

    def add(unit: UnitRecord) -> None:
        if unit.key in units:
            raise DatasetError(f"Khóa trùng: {unit.key}")
        units[unit.key] = unit

    province_code_by_key: dict[str, str] = {}
    commune_by_upstream_key: dict[tuple[str, str], str] = {}
    for row in upstream.current:
        code = row["provinceCode"]
        if row["provinceKey"] not in province_code_by_key:
            province_code_by_key[row["provinceKey"]] = code
            unchanged = merged_from.get(row["provinceKey"]) == [row["provinceKey"]]
            add(UnitRecord(
                key=province_key(code), level=UnitLevel.PROVINCE.value,
                type_name="Thành phố" if row["province"].startswith("Thành phố") else "Tỉnh",
                name=row["province"], short_name=row["provinceShort"], code=code, parent=root.key,
                valid_from=None if unchanged else REFORM_DATE, valid_to=None, source=SOURCE_CURRENT,
            ))
        key = commune_key(code, row["wardCode"])
        commune_by_upstream_key[(row["provinceKey"], row["wardKey"])] = key
        add(UnitRecord(
            key=key, level=UnitLevel.COMMUNE.value, type_name=row["wardType"], name=row["ward"],
            short_name=row["wardShort"], code=row["wardCode"], parent=province_key(code),
            valid_from=REFORM_DATE, valid_to=None, source=SOURCE_CURRENT,
        ))

    hanoi_legacy = [row for row in upstream.legacy if row["provinceCode"] == HANOI_CODE]
    legacy_key_by_upstream_key: dict[str, str] = {}
    for row in hanoi_legacy:
        d_key = district_key(HANOI_CODE, row["districtCode"])
        if d_key not in units:
            add(UnitRecord(
                key=d_key, level=UnitLevel.DISTRICT.value, type_name=row["districtType"], name=row["district"],
                short_name=row["districtShort"], code=row["districtCode"], parent=province_key(HANOI_CODE),
                valid_from=None, valid_to=LEGACY_LAST_DAY, source=SOURCE_LEGACY,
            ))
        w_key = legacy_ward_key(HANOI_CODE, row["districtCode"], row["wardCode"])
        legacy_key_by_upstream_key[f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"] = w_key
        add(UnitRecord(
            key=w_key, level=UnitLevel.COMMUNE.value, type_name=row["wardType"], name=row["ward"],
            short_name=row["wardShort"], code=row["wardCode"], parent=d_key,
            valid_from=None, valid_to=LEGACY_LAST_DAY, source=SOURCE_LEGACY,
        ))

    successions = _hanoi_successions(converter, legacy_key_by_upstream_key, commune_by_upstream_key)

    for item in supplement.get("units", []):
        add(UnitRecord(
            key=item["key"], level=item["level"], type_name=item["type_name"], name=item["name"],
            short_name=item["short_name"], code=item.get("code", ""), parent=item["parent"],
            valid_from=_date(item.get("valid_from")), valid_to=_date(item.get("valid_to")), source=SOURCE_SUPPLEMENT,
        ))
    for item in supplement.get("successions", []):
        successions.append(SuccessionRecord(
            predecessor=item["predecessor"], successor=item["successor"],
            effective_on=_required_date(item["effective_on"]), kind=item["kind"],
            is_primary=bool(item["is_primary"]), legal_basis=item.get("legal_basis", ""),
        ))

    lineage = _province_lineage(upstream, merged_from, province_code_by_key)
    unit_list = tuple(sorted(units.values(), key=lambda u: u.key))
    succession_list = tuple(sorted(successions, key=_succession_sort_key))
    meta = {
        "format": FORMAT,
        "package": PACKAGE,
        "version": VERSION,
        "wheel_sha256": upstream.wheel_sha256,
        "upstream": UPSTREAM_URL,
        "licence": "MIT; " + _copyright_line(upstream.licence) + "; see README.md",
        "supplement": SUPPLEMENT_FILE.name,
        "supplement_sha256": supplement_sha256,
        "rebuild": "python manage.py build_admin_units",
        "counts": dataset_counts(unit_list, succession_list),
    }
    dataset = Dataset(meta=meta, province_lineage=lineage, units=unit_list, successions=succession_list)
    validate_dataset(dataset)
    return dataset


def _hanoi_successions(
    converter: Mapping[str, Any], legacy_key_by_upstream_key: Mapping[str, str],
    commune_by_upstream_key: Mapping[tuple[str, str], str],
) -> list[SuccessionRecord]:
    """Every legacy Hà Nội ward → its 2025 ward(s): whole wards ``merged``, divided ones ``split``."""
    successions: list[SuccessionRecord] = []
    seen: set[str] = set()
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for old_key in old_keys:
                if old_key in legacy_key_by_upstream_key:
                    seen.add(old_key)
                    successions.append(SuccessionRecord(
                        predecessor=legacy_key_by_upstream_key[old_key],
                        successor=_successor_key(commune_by_upstream_key, new_province, new_ward),
                        effective_on=REFORM_DATE, kind=UnitSuccession.Kind.MERGED.value, is_primary=True,
                        legal_basis=HANOI_2025_BASIS,
                    ))
    for new_province, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            if old_key not in legacy_key_by_upstream_key:
                continue
            if old_key in seen:
                raise DatasetError(f"{old_key} vừa nhập nguyên vẹn vừa bị chia tách")
            if sum(bool(part["isDefaultNewWard"]) for part in parts) != 1:
                raise DatasetError(f"{old_key} không có đúng một đơn vị kế thừa chính")
            seen.add(old_key)
            for part in parts:
                successions.append(SuccessionRecord(
                    predecessor=legacy_key_by_upstream_key[old_key],
                    successor=_successor_key(commune_by_upstream_key, new_province, part["newWardKey"]),
                    effective_on=REFORM_DATE, kind=UnitSuccession.Kind.SPLIT.value,
                    is_primary=bool(part["isDefaultNewWard"]), legal_basis=HANOI_2025_BASIS,
                ))
    missing = sorted(set(legacy_key_by_upstream_key) - seen)
    if missing:
        raise DatasetError(f"{len(missing)} phường/xã cũ của Hà Nội không có đơn vị kế thừa, ví dụ {missing[0]}")
    return successions


def _successor_key(commune_by_upstream_key: Mapping[tuple[str, str], str], province: str, ward: str) -> str:
    try:
        return commune_by_upstream_key[(province, ward)]
    except KeyError:
        raise DatasetError(f"Không tìm thấy đơn vị mới {province}/{ward}") from None


def _province_lineage(
    upstream: Upstream, merged_from: Mapping[str, list[str]], province_code_by_key: Mapping[str, str],
) -> tuple[dict[str, Any], ...]:
    """For each province formed on 1/7/2025 by merging: the pre-2025 provinces (code, name) it came from."""
    old_names = {row["provinceKey"]: (row["provinceCode"], row["province"]) for row in upstream.legacy}
    new_names = {row["provinceKey"]: row["province"] for row in upstream.current}
    lineage = []
    for new_key, old_keys in merged_from.items():
        if old_keys == [new_key]:
            continue
        lineage.append({
            "province": province_code_by_key[new_key],
            "name": new_names[new_key],
            "from": sorted([list(old_names[old]) for old in old_keys]),
        })
    return tuple(sorted(lineage, key=lambda item: item["province"]))


def _copyright_line(licence: str) -> str:
    return next((line.strip() for line in licence.splitlines() if line.strip().startswith("Copyright")), "")


def _succession_sort_key(item: SuccessionRecord) -> tuple[str, str, str]:
    return (item.predecessor, item.successor, item.effective_on.isoformat())


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _required_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def dataset_counts(units: Sequence[UnitRecord], successions: Sequence[SuccessionRecord]) -> dict[str, Any]:
    current = [unit for unit in units if unit.valid_to is None]
    return {
        "units": len(units),
        "current_by_level": dict(sorted(Counter(unit.level for unit in current).items())),
        "current_communes_by_type": dict(sorted(
            Counter(unit.type_name for unit in current if unit.level == UnitLevel.COMMUNE).items()
        )),
        "historical_by_level": dict(sorted(Counter(unit.level for unit in units if unit.valid_to).items())),
        "successions_by_kind": dict(sorted(Counter(item.kind for item in successions).items())),
    }


def validate_dataset(dataset: Dataset) -> None:
    """Keys unique, one root, parents present and one level up, dates ordered, lineage between known units."""
    by_key: dict[str, UnitRecord] = {}
    for unit in dataset.units:
        if unit.key in by_key:
            raise DatasetError(f"Khóa trùng: {unit.key}")
        if unit.level not in _LEVEL_DEPTH:
            raise DatasetError(f"{unit.key}: cấp không hợp lệ {unit.level!r}")
        if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
            raise DatasetError(f"{unit.key}: hiệu lực đến trước hiệu lực từ")
        by_key[unit.key] = unit
    roots = [unit for unit in dataset.units if unit.parent is None]
    if len(roots) != 1:
        raise DatasetError(f"Cần đúng một đơn vị gốc, có {len(roots)}")
    for unit in dataset.units:
        if unit.parent is None:
            continue
        parent = by_key.get(unit.parent)
        if parent is None:
            raise DatasetError(f"{unit.key}: không có đơn vị cấp trên {unit.parent}")
        if _LEVEL_DEPTH[UnitLevel(parent.level)] >= _LEVEL_DEPTH[UnitLevel(unit.level)]:
            raise DatasetError(f"{unit.key}: cấp trên {parent.key} không ở cấp cao hơn")
    seen: set[tuple[str, str, dt.date]] = set()
    kinds = set(UnitSuccession.Kind.values)
    for item in dataset.successions:
        for key in (item.predecessor, item.successor):
            if key not in by_key:
                raise DatasetError(f"Quan hệ kế thừa trỏ tới khóa không có: {key}")
        if item.predecessor == item.successor or item.kind not in kinds:
            raise DatasetError(f"Quan hệ kế thừa không hợp lệ: {item}")
        identity = (item.predecessor, item.successor, item.effective_on)
        if identity in seen:
            raise DatasetError(f"Quan hệ kế thừa trùng: {item}")
        seen.add(identity)


# --- The file format ----------------------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def _record_json(item: UnitRecord | SuccessionRecord) -> str:
    return _json({f.name: _plain(getattr(item, f.name)) for f in fields(item)})


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def dump_dataset(dataset: Dataset) -> str:
    """One JSON document, one record per line (diffable), keys in a fixed order: same records → same bytes."""
    lines = ["{", f'"meta":{_json(dataset.meta)},']
    for name, items in (
        ("province_lineage", [_json(item) for item in dataset.province_lineage]),
        ("units", [_record_json(unit) for unit in dataset.units]),
        ("successions", [_record_json(item) for item in dataset.successions]),
    ):
        lines.append(f'"{name}":[')
        lines.append(",\n".join(items))
        lines.append("]," if name != "successions" else "]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def parse_dataset(text: str) -> Dataset:
    raw = json.loads(text)
    if raw.get("meta", {}).get("format") != FORMAT:
        raise DatasetError(f"Định dạng tệp dữ liệu không được hỗ trợ: {raw.get('meta', {}).get('format')!r}")
    units = tuple(
        UnitRecord(**{**item, "valid_from": _date(item["valid_from"]), "valid_to": _date(item["valid_to"])})
        for item in raw["units"]
    )
    successions = tuple(
        SuccessionRecord(**{**item, "effective_on": _required_date(item["effective_on"])})
        for item in raw["successions"]
    )
    dataset = Dataset(meta=raw["meta"], province_lineage=tuple(raw["province_lineage"]), units=units,
                      successions=successions)
    validate_dataset(dataset)
    return dataset


def read_dataset(path: Path = DATA_FILE) -> Dataset:
    return parse_dataset(path.read_text(encoding="utf-8"))


def read_supplement(path: Path = SUPPLEMENT_FILE) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text), hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Paths (pure) -------------------------------------------------------------------------------------------------


def compute_paths(parent_of: Mapping[K, K | None], pk_of: Mapping[K, int]) -> dict[K, str]:
    """Materialised paths ``/<pk>/<pk>/…/`` (ancestors then self) for every node of a forest.

    ``parent_of`` maps each node to its parent (``None`` for a root); every parent must itself be a node.
    Raises ``ValueError`` on a missing parent or a cycle.
    """
    paths: dict[K, str] = {}
    for start in parent_of:
        chain: list[K] = []
        on_chain: set[K] = set()
        node: K | None = start
        while node is not None and node not in paths:
            if node in on_chain:
                raise ValueError(f"cycle through {node!r}")
            if node not in parent_of:
                raise ValueError(f"unknown parent {node!r}")
            chain.append(node)
            on_chain.add(node)
            node = parent_of[node]
        prefix = paths[node] if node is not None else "/"
        for member in reversed(chain):
            prefix = f"{prefix}{pk_of[member]}/"
            paths[member] = prefix
    return paths


# --- Loading into the database ------------------------------------------------------------------------------------

_UNIT_FIELDS = ("level", "type_name", "name", "short_name", "code", "valid_from", "valid_to", "source")
_SUCCESSION_FIELDS = ("kind", "is_primary", "legal_basis")


@dataclass(frozen=True)
class LoadResult:
    units_total: int
    units_created: int
    units_updated: int
    successions_total: int
    successions_created: int
    successions_updated: int
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.units_created or self.units_updated or self.successions_created or self.successions_updated)


def _depth(unit: UnitRecord, by_key: Mapping[str, UnitRecord]) -> int:
    depth = 0
    while unit.parent is not None:
        unit = by_key[unit.parent]
        depth += 1
    return depth


@transaction.atomic
def admin_units_load(*, actor: Any = None, dataset: Dataset | None = None) -> LoadResult:
    """Upsert the units of ``dataset`` (default: the committed file) by key and add their lineage.

    Units are never deleted; a changed name or date is updated in place, so everything pointing at a unit keeps
    pointing at it. A run that finds nothing to change writes nothing, not even an audit event.
    """
    started = time.monotonic()
    dataset = dataset or read_dataset()
    by_key = {unit.key: unit for unit in dataset.units}
    depth_of = {unit.key: _depth(unit, by_key) for unit in dataset.units}
    # Reference units are a few thousand rows; reading them all is faster and more portable than ``key__in``.
    existing = {
        row["key"]: row
        for row in AdminUnit.objects.exclude(level=UnitLevel.RESIDENTIAL).values(
            "id", "key", "parent_id", "path", *_UNIT_FIELDS
        )
        if row["key"] in by_key
    }
    pk_of: dict[str, int] = {key: row["id"] for key, row in existing.items()}

    created: list[AdminUnit] = []
    for depth in sorted(set(depth_of.values())):
        batch = [
            AdminUnit(key=unit.key, parent_id=pk_of[unit.parent] if unit.parent else None, path="",
                      **{name: getattr(unit, name) for name in _UNIT_FIELDS})
            for unit in dataset.units
            if unit.key not in existing and depth_of[unit.key] == depth
        ]
        AdminUnit.objects.bulk_create(batch, batch_size=500)
        for obj in batch:
            if obj.pk is None:  # pragma: no cover - every supported backend returns primary keys
                obj.pk = AdminUnit.objects.only("pk").get(key=obj.key).pk
            pk_of[obj.key] = obj.pk
        created.extend(batch)

    paths = compute_paths({unit.key: unit.parent for unit in dataset.units}, pk_of)

    now = timezone.now()
    changed: list[AdminUnit] = []
    moved: list[tuple[int, str, str]] = []
    for key, row in existing.items():
        unit = by_key[key]
        wanted = {name: getattr(unit, name) for name in _UNIT_FIELDS}
        wanted["parent_id"] = pk_of[unit.parent] if unit.parent else None
        wanted["path"] = paths[key]
        if any(row[name] != value for name, value in wanted.items()):
            changed.append(AdminUnit(pk=row["id"], updated_at=now, **wanted))
            if row["path"] and row["path"] != paths[key]:
                moved.append((depth_of[key], row["path"], paths[key]))
    AdminUnit.objects.bulk_update(
        changed, [*_UNIT_FIELDS, "parent_id", "path", "updated_at"], batch_size=500
    )
    _move_other_descendants(moved, set(by_key))
    if created:  # after the updates above, so that a new unit under a moved parent gets the parent's new path
        _fill_new_paths(levels=max(depth_of.values()))

    successions_created, successions_updated = _load_successions(dataset, pk_of)
    result = LoadResult(
        units_total=len(dataset.units), units_created=len(created), units_updated=len(changed),
        successions_total=len(dataset.successions), successions_created=successions_created,
        successions_updated=successions_updated, seconds=time.monotonic() - started,
    )
    if result.changed:
        root = AdminUnit.objects.get(pk=pk_of[dataset.root.key])
        record(actor=actor, action=LOAD_ACTION, target=root, unit=root, changes={
            "dataset": f"{dataset.meta.get('package')} {dataset.meta.get('version')}",
            "units_created": result.units_created, "units_updated": result.units_updated,
            "successions_created": result.successions_created, "successions_updated": result.successions_updated,
        })
    return result


def _fill_new_paths(*, levels: int) -> None:
    """Paths of freshly inserted units (``path=""``), computed in Python with :func:`compute_paths` over the
    whole tree and written back in batches.

    (A set-based ``UPDATE … SET path = parent.path || pk`` per level was tried first; on PostgreSQL right after
    a bulk insert, with no statistics yet, the planner sometimes chose a plan that ran for many minutes.)
    """
    rows = list(AdminUnit.objects.values_list("pk", "parent_id", "path"))
    parent_of = {pk: parent for pk, parent, _path in rows}
    paths = compute_paths(parent_of, {pk: pk for pk in parent_of})
    missing = [AdminUnit(pk=pk, path=paths[pk]) for pk, _parent, path in rows if not path]
    AdminUnit.objects.bulk_update(missing, ["path"], batch_size=500)
    del levels  # kept for the caller's signature; the computation needs no level count


def _move_other_descendants(moved: list[tuple[int, str, str]], file_keys: set[str]) -> None:
    """Units outside the file (a residential group under a ward, say) follow when an ancestor's path changed.

    Deepest first, so that a unit whose own path changed rewrites its subtree before its ancestor does; after
    that rewrite the subtree no longer starts with the ancestor's old path.
    """
    now = timezone.now()
    for _depth_of_unit, old_path, new_path in sorted(moved, key=lambda item: -item[0]):
        followers = [
            AdminUnit(pk=pk, path=new_path + path[len(old_path):], updated_at=now)
            for pk, key, path in AdminUnit.objects.filter(path__startswith=old_path).values_list("pk", "key", "path")
            if key not in file_keys
        ]
        AdminUnit.objects.bulk_update(followers, ["path", "updated_at"], batch_size=500)


def _load_successions(dataset: Dataset, pk_of: Mapping[str, int]) -> tuple[int, int]:
    wanted = {
        (pk_of[item.predecessor], pk_of[item.successor], item.effective_on): item for item in dataset.successions
    }
    existing = {
        (row["predecessor_id"], row["successor_id"], row["effective_on"]): row
        for row in UnitSuccession.objects.values(
            "id", "predecessor_id", "successor_id", "effective_on", *_SUCCESSION_FIELDS
        )
    }
    to_create: list[UnitSuccession] = []
    to_update: list[UnitSuccession] = []
    for identity, item in wanted.items():
        values = {name: getattr(item, name) for name in _SUCCESSION_FIELDS}
        row = existing.get(identity)
        if row is None:
            to_create.append(UnitSuccession(
                predecessor_id=identity[0], successor_id=identity[1], effective_on=identity[2], **values
            ))
        elif any(row[name] != value for name, value in values.items()):
            to_update.append(UnitSuccession(pk=row["id"], **values))
    UnitSuccession.objects.bulk_create(to_create, batch_size=500)
    UnitSuccession.objects.bulk_update(to_update, list(_SUCCESSION_FIELDS), batch_size=500)
    return len(to_create), len(to_update)
