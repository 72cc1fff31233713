"""Run by the harness inside the benchmark site (``python -m bench.seed``): find the article page to measure.

Prints one JSON line: ``{"article_url": "/tin-tuc/…/" | null, "note": "…"}``. Normally the demo scenario
(``load_demo``) has published articles and the newest public one is measured. While that command is not
there yet, this creates a page-full of articles through the news services, acting as the system, so the
harness still measures a real article page; the note says which happened.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import django

FALLBACK_ARTICLES = 12
PARAGRAPH = (
    "<p>Thực hiện Chương trình phối hợp và thống nhất hành động năm 2025, Ban Thường trực Ủy ban Mặt trận Tổ quốc "
    "phường đã tổ chức hội nghị lấy ý kiến nhân dân về dự thảo, với sự tham gia của đại diện các tổ chức thành "
    "viên, Ban công tác Mặt trận các khu dân cư, người có uy tín và đông đảo nhân dân trên địa bàn.</p>"
)


def _fallback_articles() -> Any:
    from django.utils import timezone

    from mattran.news import services
    from mattran.news.models import Article
    from mattran.organisations.models import AdminUnit, UnitLevel

    unit = AdminUnit.objects.order_by("path").first()
    if unit is None:
        unit = AdminUnit(
            level=UnitLevel.CENTRAL,
            type_name="Trung ương",
            name="Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
            short_name="Trung ương",
            key="bench/central",
        )
        unit.save()
    now = timezone.now()
    for number in range(1, FALLBACK_ARTICLES + 1):
        article = services.article_create(
            actor=None,
            unit=unit,
            title=f"Hội nghị lấy ý kiến nhân dân, đợt {number}",
            lead="Ý kiến của nhân dân được tổng hợp đầy đủ, gửi cơ quan soạn thảo trước ngày 15 hằng tháng.",
            body=PARAGRAPH * 8,
            source_tag="MTTQ (dữ liệu đo hiệu năng)",
        )
        services.article_publish(actor=None, article=article, publish_at=now - dt.timedelta(hours=number))
    return Article.objects.public().order_by("-publish_at").first()


def find_article() -> dict[str, Any]:
    try:
        from mattran.news.models import Article
    except ImportError as exc:
        return {"article_url": None, "note": f"no article page: news models not importable ({exc})"}
    try:
        article = Article.objects.public().order_by("-publish_at").first()
        if article is not None:
            count = Article.objects.public().count()
            url = article.get_absolute_url()
            return {"article_url": url, "note": f"{count} public articles from the data, the newest measured ({url})"}
        article = _fallback_articles()
        url = article.get_absolute_url()
        return {
            "article_url": url,
            "note": f"no article in the data: the harness published {FALLBACK_ARTICLES} ({url} measured)",
        }
    except Exception as exc:  # the news app is being written; report what is missing rather than crash
        return {"article_url": None, "note": f"no article page: {type(exc).__name__}: {exc}"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(find_article(), ensure_ascii=False))


if __name__ == "__main__":
    main()
