"""Seed the indicator catalogue (DOMAIN §2.3) and one report template per level (the §2.2 skeleton).

Reversible: going back deletes exactly the rows added here (by indicator code and template name).
"""

from django.db import migrations

INDICATORS = [
    # code, name, unit of measure, is_money, group
    ("quy_vnn_van_dong", "Số tiền vận động ủng hộ Quỹ “Vì người nghèo”", "đồng", True, "Quỹ và an sinh xã hội"),
    ("quy_vnn_chi", "Số tiền Quỹ “Vì người nghèo” đã chi hỗ trợ", "đồng", True, "Quỹ và an sinh xã hội"),
    ("nha_ddk_xay_moi", "Nhà Đại đoàn kết, nhà tình thương xây mới", "căn", False, "Quỹ và an sinh xã hội"),
    ("nha_ddk_sua_chua", "Nhà Đại đoàn kết, nhà tình thương sửa chữa", "căn", False, "Quỹ và an sinh xã hội"),
    ("nha_ddk_gia_tri", "Giá trị xây, sửa nhà Đại đoàn kết", "đồng", True, "Quỹ và an sinh xã hội"),
    ("qua_tang_so_suat", "Quà tặng hộ nghèo, gia đình chính sách", "suất", False, "Quỹ và an sinh xã hội"),
    ("qua_tang_gia_tri", "Giá trị quà tặng", "đồng", True, "Quỹ và an sinh xã hội"),
    ("hoc_bong_so_suat", "Học bổng trao tặng", "suất", False, "Quỹ và an sinh xã hội"),
    ("hoc_bong_gia_tri", "Giá trị học bổng", "đồng", True, "Quỹ và an sinh xã hội"),
    ("ho_ngheo_duoc_ho_tro", "Hộ nghèo, hộ cận nghèo được hỗ trợ", "hộ", False, "Quỹ và an sinh xã hội"),
    ("kdc_to_chuc_ngay_hoi", "Khu dân cư tổ chức Ngày hội Đại đoàn kết toàn dân tộc", "khu dân cư", False,
     "Cuộc vận động và phong trào"),
    ("gia_dinh_van_hoa", "Gia đình được công nhận gia đình văn hóa", "hộ", False, "Cuộc vận động và phong trào"),
    ("kdc_van_hoa", "Khu dân cư được công nhận khu dân cư văn hóa", "khu dân cư", False,
     "Cuộc vận động và phong trào"),
    ("hoi_nghi_tiep_xuc_cu_tri", "Hội nghị tiếp xúc cử tri, đối thoại đã tổ chức", "cuộc", False,
     "Tập hợp ý kiến, kiến nghị"),
    ("luot_nguoi_du", "Lượt người tham dự hội nghị tiếp xúc cử tri, đối thoại", "lượt", False,
     "Tập hợp ý kiến, kiến nghị"),
    ("y_kien_phat_bieu", "Lượt người phát biểu ý kiến", "lượt", False, "Tập hợp ý kiến, kiến nghị"),
    ("y_kien_kien_nghi", "Ý kiến, kiến nghị của cử tri và Nhân dân tập hợp được", "ý kiến", False,
     "Tập hợp ý kiến, kiến nghị"),
    ("y_kien_tra_loi_tai_cho", "Ý kiến được giải đáp tại hội nghị", "ý kiến", False, "Tập hợp ý kiến, kiến nghị"),
    ("y_kien_ghi_nhan", "Ý kiến được ghi nhận, chuyển cơ quan có thẩm quyền giải quyết", "ý kiến", False,
     "Tập hợp ý kiến, kiến nghị"),
    ("cuoc_giam_sat", "Cuộc giám sát đã thực hiện", "cuộc", False, "Giám sát và phản biện xã hội"),
    ("kien_nghi_sau_giam_sat", "Kiến nghị sau giám sát", "kiến nghị", False, "Giám sát và phản biện xã hội"),
    ("kien_nghi_da_giai_quyet", "Kiến nghị sau giám sát đã được giải quyết", "kiến nghị", False,
     "Giám sát và phản biện xã hội"),
    ("hoi_nghi_phan_bien", "Hội nghị phản biện xã hội", "cuộc", False, "Giám sát và phản biện xã hội"),
    ("hoa_giai_thanh", "Vụ việc hòa giải thành ở cơ sở", "vụ việc", False, "Dân chủ ở cơ sở"),
]

SECTIONS = [
    # key, number, heading, guidance
    ("tinh-hinh", "I", "Tình hình tư tưởng, dư luận các tầng lớp Nhân dân",
     "Tâm trạng, dư luận, những vấn đề Nhân dân quan tâm trong kỳ."),
    ("ket-qua", "II", "Kết quả công tác Mặt trận",
     "Theo các chương trình hành động: tuyên truyền, tập hợp Nhân dân; các phong trào thi đua, cuộc vận động; "
     "giám sát, phản biện xã hội, tham gia xây dựng Đảng, chính quyền; đối ngoại nhân dân; đổi mới tổ chức "
     "và hoạt động."),
    ("danh-gia", "III", "Đánh giá chung", "Ưu điểm, hạn chế, nguyên nhân."),
    ("phuong-huong", "IV", "Phương hướng, nhiệm vụ trọng tâm kỳ tới", ""),
    ("kien-nghi", "V", "Kiến nghị, đề xuất", ""),
]

LEVELS = [
    ("central", "Mẫu báo cáo định kỳ cấp Trung ương"),
    ("province", "Mẫu báo cáo định kỳ cấp tỉnh"),
    ("district", "Mẫu báo cáo định kỳ cấp huyện (trước 1/7/2025)"),
    ("commune", "Mẫu báo cáo định kỳ cấp xã"),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    TemplateSection = apps.get_model("reports", "TemplateSection")
    indicators = []
    for order, (code, name, uom, is_money, group) in enumerate(INDICATORS, start=1):
        indicator, _ = Indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "unit_of_measure": uom, "is_money": is_money, "group": group,
                      "order": order * 10},
        )
        indicators.append(indicator)
    for level, name in LEVELS:
        template, created = ReportTemplate.objects.get_or_create(level=level, name=name)
        if not created:
            continue
        for order, (key, number, heading, guidance) in enumerate(SECTIONS, start=1):
            TemplateSection.objects.create(
                template=template, key=key, number=number, heading=heading, guidance=guidance, order=order
            )
        template.indicators.set(indicators)


def unseed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    ReportTemplate.objects.filter(name__in=[name for _, name in LEVELS]).delete()
    Indicator.objects.filter(code__in=[code for code, *_ in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
