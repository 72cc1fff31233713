"""Public RSS feed of the latest published news."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from mattran.news import selectors
from mattran.news.models import Article

FEED_SIZE = 30


class LatestNewsFeed(Feed):
    """Public: RSS 2.0 of the latest published articles (drafts and scheduled ones never appear)."""

    description = "Tin tức mới nhất về công tác Mặt trận các cấp."

    def title(self) -> str:
        return f"{settings.SITE_NAME} — Tin tức"

    def link(self) -> str:
        return reverse("news:home")

    def items(self) -> list[Article]:
        return list(selectors.published_articles()[:FEED_SIZE])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.lead

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Article) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author_name or item.source_tag

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name] if item.category_id and item.category else []
