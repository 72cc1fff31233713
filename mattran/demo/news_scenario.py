"""Demo news: what the Hai Bà Trưng committee and its wards reported, in this project's own words.

Every article goes through the news services (create, add photo, publish at its historical date), and
comments through the public comment service and moderation, exactly as in the user interface.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zoneinfo
from dataclasses import dataclass

from django.db import transaction
from PIL import Image, ImageDraw

from mattran.news import services as news_services
from mattran.news.models import Article, Category
from mattran.organisations.models import REFORM_DATE, AdminUnit

HANOI_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

CATEGORIES = [
    ("hoat-dong-mat-tran", "Hoạt động Mặt trận"),
    ("dai-doan-ket", "Đại đoàn kết"),
    ("an-sinh-xa-hoi", "An sinh xã hội"),
    ("giam-sat-phan-bien", "Giám sát, phản biện"),
]


@dataclass(frozen=True)
class DemoArticle:
    title: str
    category: str
    unit: str  # "district", the short name of an old ward, or "new:<short name>" for a ward formed in 2025
    published: dt.datetime
    source_tag: str
    lead: str
    body: str
    photo_caption: str = ""
    comments: tuple[tuple[str, str, bool], ...] = ()  # (name, text, approved)


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=HANOI_TZ)


ARTICLES = [
    DemoArticle(
        title="Hội nghị lần thứ 10 Ủy ban MTTQ Việt Nam quận Hai Bà Trưng khóa XV sơ kết công tác 6 tháng đầu năm 2022",
        category="hoat-dong-mat-tran", unit="district", published=_at(2022, 7, 1, 16, 30),
        source_tag="MTTQ quận Hai Bà Trưng",
        lead=("Sáng 1/7/2022, Ủy ban MTTQ Việt Nam quận Hai Bà Trưng tổ chức Hội nghị lần thứ 10, khóa XV, "
              "nhiệm kỳ 2019–2024, đánh giá kết quả công tác Mặt trận 6 tháng đầu năm và bàn nhiệm vụ trọng tâm "
              "6 tháng cuối năm."),
        body=(
            "<p>Dự hội nghị có các đồng chí trong Ban Thường trực, ủy viên Ủy ban MTTQ quận, đại diện Thường trực "
            "HĐND, UBND quận, các tổ chức thành viên và Chủ tịch Ủy ban MTTQ 18 phường.</p>"
            "<p>Theo báo cáo của Ban Thường trực, trong 6 tháng đầu năm Mặt trận các cấp trong quận đã bám sát "
            "chương trình phối hợp và thống nhất hành động, tập trung tuyên truyền, vận động Nhân dân thực hiện "
            "các nhiệm vụ chính trị của địa phương; phối hợp tổ chức tiếp xúc cử tri, tổng hợp ý kiến, kiến nghị "
            "gửi các cơ quan có thẩm quyền; chăm lo cho hộ nghèo, hộ cận nghèo và gia đình chính sách dịp Tết.</p>"
            "<h2>Nhiệm vụ 6 tháng cuối năm</h2>"
            "<ul><li>Đẩy mạnh cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”;</li>"
            "<li>Chuẩn bị tốt Ngày hội Đại đoàn kết toàn dân tộc ở 100% khu dân cư;</li>"
            "<li>Nâng cao chất lượng giám sát và phản biện xã hội;</li>"
            "<li>Vận động ủng hộ Quỹ “Vì người nghèo” và an sinh xã hội.</li></ul>"
            "<p>Tại hội nghị, Thường trực HĐND quận và UBND quận thông báo kết quả hoạt động, tình hình kinh tế – "
            "xã hội, quốc phòng – an ninh 6 tháng đầu năm. Hội nghị đã hiệp thương cử bổ sung ủy viên Ủy ban "
            "MTTQ quận khóa XV.</p>"
        ),
        photo_caption="Quang cảnh Hội nghị lần thứ 10 Ủy ban MTTQ Việt Nam quận Hai Bà Trưng khóa XV (ảnh minh họa).",
        comments=(
            ("Nguyễn Văn Bình",
             "Mong Mặt trận phường tiếp tục tổ chức lấy ý kiến người dân về chỉnh trang ngõ xóm.", True),
            ("Trần Thị Hạnh", "Báo cáo rất cụ thể. Cảm ơn Ban Thường trực đã thông tin kịp thời.", True),
            ("Lê Quang", "Đề nghị công khai danh sách hộ được hỗ trợ ở từng tổ dân phố.", False),
        ),
    ),
    DemoArticle(
        title="Phường Bạch Mai rộn ràng Ngày hội Đại đoàn kết toàn dân tộc ở các tổ dân phố",
        category="dai-doan-ket", unit="Bạch Mai", published=_at(2022, 11, 12, 10, 0),
        source_tag="MTTQ phường Bạch Mai",
        lead="Nhân kỷ niệm 92 năm Ngày truyền thống MTTQ Việt Nam (18/11), các tổ dân phố phường Bạch Mai đồng loạt "
             "tổ chức Ngày hội Đại đoàn kết toàn dân tộc.",
        body="<p>Ngày hội có phần lễ ôn lại truyền thống, biểu dương gia đình văn hóa tiêu biểu và phần hội với "
             "các hoạt động văn nghệ, thể thao do chính người dân khu dân cư tổ chức.</p>"
             "<p>Ban công tác Mặt trận các tổ dân phố đã trao quà cho các hộ có hoàn cảnh khó khăn.</p>",
        comments=(("Phạm Thu Trang", "Tổ dân phố số 1 năm nay vui quá, cảm ơn Ban công tác Mặt trận!", True),),
    ),
    DemoArticle(
        title="Mặt trận phường Vĩnh Tuy trao quà Tết cho hộ nghèo, hộ cận nghèo",
        category="an-sinh-xa-hoi", unit="Vĩnh Tuy", published=_at(2023, 1, 14, 9, 0),
        source_tag="MTTQ phường Vĩnh Tuy",
        lead="Từ nguồn Quỹ “Vì người nghèo” và sự đóng góp của các nhà hảo tâm, Ủy ban MTTQ phường Vĩnh Tuy trao "
             "quà Tết cho các hộ nghèo, hộ cận nghèo và người có hoàn cảnh khó khăn trên địa bàn.",
        body="<p>Mỗi suất quà gồm tiền mặt và nhu yếu phẩm. Danh sách hộ được nhận quà đã được niêm yết công khai "
             "tại nhà văn hóa các tổ dân phố.</p>",
    ),
    DemoArticle(
        title="Hội nghị lần thứ 15, Ủy ban MTTQ Việt Nam quận Hai Bà Trưng tổng kết nhiệm kỳ 2019–2024",
        category="hoat-dong-mat-tran", unit="district", published=_at(2024, 5, 30, 17, 0),
        source_tag="MTTQ quận Hai Bà Trưng",
        lead="Hội nghị cuối cùng của Ủy ban MTTQ quận khóa XV nhìn lại 5 năm thực hiện Nghị quyết Đại hội và góp ý "
             "dự thảo văn kiện Đại hội đại biểu MTTQ quận lần thứ XVI.",
        body="<p>Hội nghị đã thảo luận, góp ý vào dự thảo báo cáo chính trị, thông qua danh sách dự kiến hiệp "
             "thương Ủy ban MTTQ quận khóa XVI, nhiệm kỳ 2024–2029.</p>",
    ),
    DemoArticle(
        title="Ủy ban MTTQ Việt Nam phường Bạch Mai (mới) ra mắt sau sắp xếp đơn vị hành chính",
        category="hoat-dong-mat-tran", unit="new:Bạch Mai", published=_at(2025, 7, 1, 11, 0),
        source_tag="MTTQ phường Bạch Mai",
        lead="Từ ngày 1/7/2025, chính quyền địa phương hai cấp đi vào hoạt động; Ủy ban MTTQ Việt Nam phường Bạch Mai "
             "được thành lập trên cơ sở các phường cũ thuộc quận Hai Bà Trưng.",
        body="<p>Ban Thường trực Ủy ban MTTQ phường gồm Chủ tịch, các Phó Chủ tịch là người đứng đầu các tổ chức "
             "chính trị – xã hội của phường và Ủy viên Thường trực.</p>",
    ),
]


def _demo_photo() -> io.BytesIO:
    """A plain illustration drawn here (no photograph of real people): a red banner with a yellow star."""
    image = Image.new("RGB", (1200, 675), (164, 22, 26))
    draw = ImageDraw.Draw(image)
    cx, cy, outer, inner = 600, 300, 150, 60
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=(242, 193, 78))
    draw.rectangle((0, 560, 1200, 675), fill=(125, 15, 18))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    buffer.seek(0)
    buffer.name = "hoi-nghi.jpg"
    return buffer


def _unit(district: AdminUnit, label: str) -> AdminUnit:
    if label == "district":
        return district
    if label.startswith("new:"):
        assert district.parent is not None
        return AdminUnit.objects.get(parent=district.parent, short_name=label[4:], valid_from=REFORM_DATE)
    return district.children.get(short_name=label)


@transaction.atomic
def load(district: AdminUnit | None = None) -> int:
    from mattran.demo.scenario import hai_ba_trung

    district = district or hai_ba_trung()
    categories = {}
    for order, (slug, name) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    for index, item in enumerate(ARTICLES):
        if Article.objects.filter(title=item.title).exists():
            continue
        unit = _unit(district, item.unit)
        article = news_services.article_create(
            actor=None, unit=unit, title=item.title, lead=item.lead, body=item.body,
            category=categories[item.category], source_tag=item.source_tag, author_name="Ban Tuyên giáo",
        )
        if item.photo_caption:
            news_services.photo_add(actor=None, article=article, image=_demo_photo(), caption=item.photo_caption)
        article = news_services.article_publish(actor=None, article=article, publish_at=item.published)
        for number, (name, text, approved) in enumerate(item.comments):
            comment = news_services.comment_post(actor=None, article=article, author_name=name, body=text,
                                                 ip_address=f"192.0.2.{index * 10 + number + 1}")
            if approved:
                news_services.comment_approve(actor=None, comment=comment)
    return Article.objects.count()
