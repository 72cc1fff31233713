from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from mattran.accounts.models import Role
from mattran.news import selectors
from mattran.news.models import CommentStatus
from mattran.news.tests.factories import (
    ArticleFactory,
    CategoryFactory,
    CommentFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_only_published_and_due_articles_are_public() -> None:
    live = ArticleFactory.create()
    ArticleFactory.create(draft=True)
    ArticleFactory.create(scheduled=True)

    assert list(selectors.published_articles()) == [live]


def test_scheduled_article_becomes_public_when_its_time_comes() -> None:
    article = ArticleFactory.create(scheduled=True)
    with pytest.raises(Http404):
        selectors.article_get_public(slug=article.slug)

    article.publish_at = timezone.now() - dt.timedelta(seconds=1)
    article.save()

    assert selectors.article_get_public(slug=article.slug) == article


def test_draft_slug_is_not_found_publicly() -> None:
    with pytest.raises(Http404):
        selectors.article_get_public(slug=ArticleFactory.create(draft=True).slug)


def test_day_archive_uses_local_time() -> None:
    # 23:30 on 1 July in Hà Nội is 16:30 UTC; 00:30 on 2 July is still 1 July in UTC.
    late_first = ArticleFactory.create(publish_at=dt.datetime(2022, 7, 1, 23, 30, tzinfo=HCM))
    early_second = ArticleFactory.create(publish_at=dt.datetime(2022, 7, 2, 0, 30, tzinfo=HCM))

    assert list(selectors.articles_on_day(day=dt.date(2022, 7, 1))) == [late_first]
    assert list(selectors.articles_on_day(day=dt.date(2022, 7, 2))) == [early_second]


def test_adjacent_days_skip_days_without_news() -> None:
    ArticleFactory.create(publish_at=dt.datetime(2022, 6, 20, 9, tzinfo=HCM))
    ArticleFactory.create(publish_at=dt.datetime(2022, 7, 1, 9, tzinfo=HCM))
    ArticleFactory.create(publish_at=dt.datetime(2022, 7, 9, 9, tzinfo=HCM))
    ArticleFactory.create(publish_at=dt.datetime(2022, 7, 5, 9, tzinfo=HCM), draft=True)

    assert selectors.adjacent_news_days(day=dt.date(2022, 7, 1)) == (dt.date(2022, 6, 20), dt.date(2022, 7, 9))
    assert selectors.adjacent_news_days(day=dt.date(2022, 6, 20)) == (None, dt.date(2022, 7, 1))


def test_approved_comments_only() -> None:
    article = ArticleFactory.create()
    ok = CommentFactory.create(article=article, status=CommentStatus.APPROVED)
    CommentFactory.create(article=article, status=CommentStatus.PENDING)
    CommentFactory.create(article=article, status=CommentStatus.REJECTED)

    assert list(selectors.approved_comments(article=article)) == [ok]


def test_categories_are_cached_for_the_menu(django_assert_num_queries: Any) -> None:
    CategoryFactory.create(name="Hoạt động", slug="hoat-dong", order=2)
    CategoryFactory.create(name="Thời sự", slug="thoi-su", order=1)
    cache.clear()

    with django_assert_num_queries(1):
        assert [c["slug"] for c in selectors.categories()] == ["thoi-su", "hoat-dong"]
        selectors.categories()


def test_staff_lists_are_scoped_to_the_viewers_subtree(tree: dict[str, Any]) -> None:
    district_editor = user_with_role(Role.EDITOR, tree["district"])
    ward_editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    ours = ArticleFactory.create(unit=tree["bach_mai"], draft=True)
    theirs = ArticleFactory.create(unit=tree["vinh_tuy"], draft=True)
    CommentFactory.create(article=ArticleFactory.create(unit=tree["vinh_tuy"]))

    assert set(selectors.articles_editable_by(user=district_editor)) >= {ours, theirs}
    assert theirs not in set(selectors.articles_editable_by(user=ward_editor))
    assert selectors.comments_to_moderate(user=ward_editor).count() == 0
    assert selectors.comments_to_moderate(user=district_editor).count() == 1
    with pytest.raises(Http404):
        selectors.article_get_for(user=ward_editor, article_id=theirs.pk)
    assert list(selectors.articles_editable_by(user=UserFactory.create())) == []


def test_workspace_due_items_count_pending_drafts_and_scheduled(tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    article = ArticleFactory.create(unit=tree["bach_mai"])
    CommentFactory.create_batch(2, article=article)
    ArticleFactory.create(unit=tree["bach_mai"], draft=True)
    ArticleFactory.create(unit=tree["bach_mai"], scheduled=True)
    ArticleFactory.create(unit=tree["vinh_tuy"], draft=True)  # not theirs

    items = {item["label"]: item for item in selectors.workspace_due_items(user=editor)}

    assert items["Bình luận chờ duyệt"]["count"] == 2
    assert items["Bài viết nháp"]["count"] == 1
    assert items["Bài viết hẹn giờ xuất bản"]["count"] == 1
    assert items["Bài viết nháp"]["url"] == "/quan-ly/tin-tuc/?trang_thai=nhap"
    assert selectors.workspace_due_items(user=UserFactory.create()) == []
