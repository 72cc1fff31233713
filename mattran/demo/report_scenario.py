"""Demo reports: the 18 wards' reports for the first half of 2022, approved by the district, and the district
report rolled up from them; for the second half of 2022 some wards have sent theirs and Bạch Mai has not yet.

Figures are invented but plausible for an inner-city ward of Hà Nội; they are generated from a fixed seed so
that every demo is the same. Everything goes through the report services, as in the user interface.
"""

from __future__ import annotations

import random

from django.db import transaction

from mattran.organisations.models import AdminUnit
from mattran.reports import services
from mattran.reports.models import Period, PeriodKind, Report, ReportStatus

#: (code, low, high) — ranges per ward and half-year.
RANGES = [
    ("quy_vnn_van_dong", 40_000_000, 180_000_000), ("quy_vnn_chi", 10_000_000, 60_000_000),
    ("nha_ddk_sua_chua", 0, 2), ("nha_ddk_gia_tri", 0, 80_000_000),
    ("qua_tang_so_suat", 80, 400), ("qua_tang_gia_tri", 40_000_000, 200_000_000),
    ("hoc_bong_so_suat", 5, 40), ("hoc_bong_gia_tri", 5_000_000, 40_000_000),
    ("ho_ngheo_duoc_ho_tro", 5, 30), ("kdc_to_chuc_ngay_hoi", 0, 0), ("gia_dinh_van_hoa", 0, 0),
    ("hoi_nghi_tiep_xuc_cu_tri", 1, 3), ("luot_nguoi_du", 60, 220), ("y_kien_phat_bieu", 4, 15),
    ("y_kien_kien_nghi", 6, 30), ("y_kien_tra_loi_tai_cho", 2, 15), ("y_kien_ghi_nhan", 1, 12),
    ("cuoc_giam_sat", 1, 4), ("kien_nghi_sau_giam_sat", 1, 8), ("hoa_giai_thanh", 2, 12),
]

TEXTS = {
    "tinh-hinh": "Nhân dân trên địa bàn phường phấn khởi, tin tưởng vào sự lãnh đạo của Đảng; quan tâm đến giá cả "
                 "thị trường, trật tự đô thị và vệ sinh môi trường trong các ngõ, tổ dân phố.",
    "ket-qua": "Ban Thường trực đã phối hợp tổ chức hội nghị tiếp xúc cử tri, vận động Quỹ “Vì người nghèo”, "
               "thăm hỏi, tặng quà hộ nghèo và gia đình chính sách; các Ban công tác Mặt trận hoạt động đều.",
    "danh-gia": "Hoàn thành các chỉ tiêu chủ yếu; một số tổ dân phố chưa duy trì sinh hoạt thường xuyên.",
    "phuong-huong": "Chuẩn bị Ngày hội Đại đoàn kết toàn dân tộc; tiếp tục vận động Quỹ “Vì người nghèo”.",
    "kien-nghi": "",
}


def _figures(seed: int, residential_areas: int) -> dict[str, int]:
    rng = random.Random(seed)
    figures = {code: (rng.randint(low, high) // 1000 * 1000 if high >= 1_000_000 else rng.randint(low, high))
               for code, low, high in RANGES}
    figures["kdc_to_chuc_ngay_hoi"] = residential_areas
    figures["gia_dinh_van_hoa"] = rng.randint(900, 2400)
    figures["y_kien_tra_loi_tai_cho"] = min(figures["y_kien_tra_loi_tai_cho"], figures["y_kien_kien_nghi"])
    figures["y_kien_ghi_nhan"] = figures["y_kien_kien_nghi"] - figures["y_kien_tra_loi_tai_cho"]
    return figures


def _fill(report: Report, seed: int) -> Report:
    figures = _figures(seed, residential_areas=10 + seed % 12)
    return services.report_save_draft(actor=None, report=report, expected_version=report.version,
                                      sections=TEXTS, values={k: str(v) for k, v in figures.items()})


@transaction.atomic
def load(district: AdminUnit, wards: list[AdminUnit]) -> dict[str, Period]:
    first = services.period_get_or_create(actor=None, kind=PeriodKind.HALF, year=2022, index=1)
    second = services.period_get_or_create(actor=None, kind=PeriodKind.HALF, year=2022, index=2)
    if Report.objects.filter(period=first, unit__in=wards).exists():
        return {"first": first, "second": second}
    for index, ward in enumerate(wards):
        report = _fill(services.report_create(actor=None, unit=ward, period=first), seed=2022_1_00 + index)
        services.report_submit(actor=None, report=report)
        services.report_approve(actor=None, report=report)
    district_report = services.report_create(actor=None, unit=district, period=first)
    services.report_save_draft(
        actor=None, report=district_report, expected_version=district_report.version,
        sections={**TEXTS, "ket-qua": "Tổng hợp từ báo cáo của 18 phường và hoạt động của Ban Thường trực quận: "
                  + TEXTS["ket-qua"]},
        values={"hoi_nghi_phan_bien": "2", "cuoc_giam_sat": "3"},
    )
    services.report_submit(actor=None, report=district_report)
    # Second half of 2022: a few wards have sent theirs; Bạch Mai and the others have not yet.
    for index, ward in enumerate(wards):
        if ward.short_name in {"Vĩnh Tuy", "Minh Khai", "Thanh Lương", "Đồng Tâm"}:
            report = _fill(services.report_create(actor=None, unit=ward, period=second), seed=2022_2_00 + index)
            services.report_submit(actor=None, report=report)
            if ward.short_name != "Vĩnh Tuy":
                services.report_approve(actor=None, report=report)
    return {"first": first, "second": second}


def approved_count(period: Period) -> int:
    return Report.objects.filter(period=period, status=ReportStatus.APPROVED).count()
