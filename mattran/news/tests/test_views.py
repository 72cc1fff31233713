from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mattran.accounts.models import Role
from mattran.news import services
from mattran.news.models import Article, ArticlePhoto, ArticleStatus, Comment, CommentStatus
from mattran.news.tests.factories import (
    PASSWORD,
    ArticleFactory,
    CategoryFactory,
    CommentFactory,
    jpeg_upload,
    user_with_role,
)

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SENT = "Bình luận của bạn đã được gửi và sẽ hiển thị sau khi được kiểm duyệt."


def _login(client: Client, user: Any) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _comment(client: Client, article: Article, **data: str) -> Any:
    payload = {"author_name": "Nguyễn Thị Hoa", "body": "Bài viết rất ý nghĩa.", "website": "", **data}
    return client.post(article.get_absolute_url(), payload, REMOTE_ADDR="192.0.2.10", follow=True)


# --- Public pages -----------------------------------------------------------------------------------------


def test_home_shows_a_lead_article_and_the_latest_list(client: Client) -> None:
    older = ArticleFactory.create(title="Tin cũ hơn", publish_at=timezone.now() - dt.timedelta(days=2))
    newest = ArticleFactory.create(title="Tin mới nhất")
    ArticleFactory.create(title="Bản nháp bí mật", draft=True)

    html = client.get(reverse("news:home")).content.decode()

    assert html.index(newest.title) < html.index(older.title)
    assert 'class="lead-article"' in html and "Bản nháp bí mật" not in html


def test_list_paginates_with_trang(client: Client, settings: Any) -> None:
    settings.NEWS_PAGE_SIZE = 2
    for n in range(5):
        ArticleFactory.create(title=f"Bài số {n}", publish_at=timezone.now() - dt.timedelta(hours=n + 1))

    page3 = client.get(reverse("news:list"), {"trang": 3}).content.decode()

    assert "Bài số 4" in page3 and "Bài số 0" not in page3 and "Trang 3 / 3" in page3


def test_category_page_lists_only_its_articles_and_menu_shows_categories(client: Client) -> None:
    cat = CategoryFactory.create(name="An sinh xã hội", slug="an-sinh-xa-hoi")
    inside = ArticleFactory.create(category=cat, title="Trao nhà Đại đoàn kết")
    outside = ArticleFactory.create(title="Hội nghị hiệp thương")

    html = client.get(reverse("news:category", args=["an-sinh-xa-hoi"])).content.decode()

    assert inside.title in html and outside.title not in html
    assert 'href="/tin-tuc/chuyen-muc/an-sinh-xa-hoi/"' in html
    assert client.get(reverse("news:category", args=["khong-co"])).status_code == 404


def test_article_page_shows_content_meta_tags_photos_and_approved_comments(client: Client) -> None:
    article = ArticleFactory.create(title="Ngày hội ở Bạch Mai", source_tag="MTTQ quận Hai Bà Trưng",
                             publish_at=dt.datetime(2022, 8, 19, 8, 30, tzinfo=HCM), author_name="Thu Hà")
    ArticlePhoto.objects.create(article=article, image="news/2022/08/a.jpg", caption="Trao quà", width=800,
                                height=600)
    CommentFactory.create(article=article, status=CommentStatus.APPROVED, body="Đã duyệt rồi")
    CommentFactory.create(article=article, status=CommentStatus.PENDING, body="Còn chờ duyệt")
    Article.objects.filter(pk=article.pk).update(comment_count=1)

    response = client.get(article.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "19/08/2022 08:30" in html and "MTTQ quận Hai Bà Trưng" in html and "Thu Hà" in html
    assert "Trao quà" in html and "Đã duyệt rồi" in html and "Còn chờ duyệt" not in html
    assert "Bình luận (1)" in html
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
    assert '<meta property="og:title" content="Ngày hội ở Bạch Mai">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_unpublished_and_scheduled_slugs_are_404(client: Client) -> None:
    for article in (ArticleFactory.create(draft=True), ArticleFactory.create(scheduled=True)):
        assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get("/tin-tuc/khong-ton-tai/").status_code == 404


def test_body_scripts_never_reach_the_page_even_if_written_directly(client: Client) -> None:
    article = ArticleFactory.create(body='<p onclick="x()">Hi</p><script>alert("xss")</script>')

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alert("xss")' not in html and "onclick" not in html and "<p>Hi</p>" in html


def test_day_archive_lists_the_local_day_with_picker_and_neighbours(client: Client) -> None:
    first = ArticleFactory.create(title="Tin ngày một", publish_at=dt.datetime(2022, 7, 1, 23, 30, tzinfo=HCM))
    second = ArticleFactory.create(title="Tin ngày hai", publish_at=dt.datetime(2022, 7, 2, 0, 30, tzinfo=HCM))

    html = client.get(reverse("news:day", kwargs={"day": "2022-07-01"})).content.decode()

    assert first.title in html and second.title not in html
    assert 'data-date-nav="/tin-tuc/ngay/DATE/"' in html and 'type="date"' in html
    assert 'action="/tin-tuc/ngay/"' in html
    assert 'href="/tin-tuc/ngay/2022-07-02/"' in html


@pytest.mark.parametrize("bad", ["2022-02-30", "2022-13-01", "hom-nay", "22-7-1"])
def test_invalid_days_are_404(client: Client, bad: str) -> None:
    assert client.get(f"/tin-tuc/ngay/{bad}/").status_code == 404


def test_day_picker_form_without_javascript_redirects(client: Client) -> None:
    response = client.get(reverse("news:day_pick"), {"ngay": "2022-07-01"})

    assert response.status_code == 302 and response["Location"] == "/tin-tuc/ngay/2022-07-01/"


def test_rss_is_valid_and_lists_only_public_articles(client: Client) -> None:
    live = ArticleFactory.create(title="Tin công khai & mới")
    ArticleFactory.create(title="Bản nháp", draft=True)
    ArticleFactory.create(title="Hẹn giờ", scheduled=True)

    response = client.get(reverse("news:rss"))

    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "rss"
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == [live.title]
    assert items[0].findtext("link") == f"http://testserver{live.get_absolute_url()}"
    assert items[0].findtext("pubDate")


# --- Comments ---------------------------------------------------------------------------------------------


def test_anonymous_comment_is_saved_pending_and_not_shown(client: Client) -> None:
    article = ArticleFactory.create()

    response = _comment(client, article)

    assert SENT in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.user is None
    assert "Bài viết rất ý nghĩa." not in response.content.decode()


def test_script_in_a_comment_renders_as_text(client: Client) -> None:
    article = ArticleFactory.create()
    _comment(client, article, body="<script>alert('x')</script> chào")
    moderator = user_with_role(Role.EDITOR, article.unit)
    services.comment_approve(actor=moderator, comment=Comment.objects.get())

    html = client.get(article.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; chào" in html
    assert "<script>alert" not in html


def test_logged_in_reader_gets_the_name_prefilled(client: Client, tree: dict[str, Any]) -> None:
    user = user_with_role(Role.VIEWER, tree["bach_mai"], full_name="Phạm Minh Tuấn")
    article = ArticleFactory.create()

    html = _login(client, user).get(article.get_absolute_url()).content.decode()

    assert 'value="Phạm Minh Tuấn"' in html


def test_comment_errors_are_in_vietnamese_and_keep_the_typed_text(client: Client) -> None:
    article = ArticleFactory.create()

    response = client.post(article.get_absolute_url(), {"author_name": "", "body": "Ý kiến đã gõ"},
                           REMOTE_ADDR="192.0.2.10")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Vui lòng nhập họ và tên." in html and "Ý kiến đã gõ" in html
    too_long = client.post(article.get_absolute_url(), {"author_name": "An", "body": "x" * 2001}).content.decode()
    assert "dài tối đa 2000 ký tự" in too_long
    assert not Comment.objects.exists()


def test_fourth_comment_is_refused_with_a_vietnamese_message(client: Client, settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT, settings.COMMENT_RATE_WINDOW_SECONDS = 3, 600
    article = ArticleFactory.create()
    for n in range(3):
        assert SENT in _comment(client, article, body=f"Ý kiến số {n}").content.decode()

    response = _comment(client, article, body="Ý kiến thứ tư")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Bạn đã gửi quá nhiều bình luận" in html and "Ý kiến thứ tư" in html
    assert Comment.objects.count() == 3


def test_honeypot_submissions_are_silently_dropped(client: Client) -> None:
    response = _comment(client, ArticleFactory.create(), website="http://spam.example")

    assert SENT in response.content.decode()
    assert not Comment.objects.exists()


# --- Caching and queries ----------------------------------------------------------------------------------


def test_article_page_query_count_is_bounded(client: Client, django_assert_max_num_queries: Any) -> None:
    article = ArticleFactory.create()
    for n in range(5):
        ArticlePhoto.objects.create(article=article, image=f"news/2022/08/{n}.jpg", caption=f"Ảnh {n}")
        CommentFactory.create(article=article, status=CommentStatus.APPROVED)
    client.get(article.get_absolute_url())  # warm: menu categories

    with django_assert_max_num_queries(1):  # the cached path: only the article row (for its version)
        assert client.get(article.get_absolute_url()).status_code == 200


def test_article_page_cold_render_needs_few_queries(client: Client, django_assert_max_num_queries: Any) -> None:
    article = ArticleFactory.create()
    for n in range(5):
        ArticlePhoto.objects.create(article=article, image=f"news/2022/08/{n}.jpg", caption=f"Ảnh {n}")
        CommentFactory.create(article=article, status=CommentStatus.APPROVED)

    # version lookup, article, menu categories, photos, comments
    with django_assert_max_num_queries(5):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_approving_a_comment_shows_at_once_despite_the_cache(client: Client) -> None:
    article = ArticleFactory.create()
    comment = CommentFactory.create(article=article, body="Ý kiến mới được duyệt")
    assert "Ý kiến mới được duyệt" not in client.get(article.get_absolute_url()).content.decode()

    services.comment_approve(actor=user_with_role(Role.EDITOR, article.unit), comment=comment)

    html = client.get(article.get_absolute_url()).content.decode()
    assert "Ý kiến mới được duyệt" in html and "Bình luận (1)" in html


def test_editing_an_article_shows_at_once_despite_the_cache(client: Client) -> None:
    article = ArticleFactory.create(body="<p>Bản cũ</p>")
    assert "Bản cũ" in client.get(article.get_absolute_url()).content.decode()
    editor = user_with_role(Role.EDITOR, article.unit)

    services.article_update(actor=editor, article=article, body="<p>Bản đã sửa</p>")

    html = client.get(article.get_absolute_url()).content.decode()
    assert "Bản đã sửa" in html and "Bản cũ" not in html


def test_unpublishing_removes_the_page_at_once(client: Client) -> None:
    article = ArticleFactory.create()
    assert client.get(article.get_absolute_url()).status_code == 200

    services.article_unpublish(actor=user_with_role(Role.EDITOR, article.unit), article=article)

    assert client.get(article.get_absolute_url()).status_code == 404


# --- Staff ------------------------------------------------------------------------------------------------

STAFF_URLS = [
    ("news_staff:article_list", {}),
    ("news_staff:article_create", {}),
    ("news_staff:article_edit", {"article_id": 1}),
    ("news_staff:photo_upload", {"article_id": 1}),
    ("news_staff:comment_queue", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), STAFF_URLS)
def test_staff_views_send_anonymous_visitors_to_login(client: Client, name: str, kwargs: dict[str, int]) -> None:
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["news_staff:article_publish", "news_staff:article_unpublish",
                                  "news_staff:comment_approve", "news_staff:comment_reject"])
def test_staff_actions_send_anonymous_visitors_to_login(client: Client, name: str) -> None:
    kwarg = "comment_id" if "comment" in name else "article_id"
    response = client.post(reverse(name, kwargs={kwarg: 1}))

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_user_without_news_role_is_forbidden(client: Client, tree: dict[str, Any]) -> None:
    viewer = user_with_role(Role.VIEWER, tree["bach_mai"])

    assert _login(client, viewer).get(reverse("news_staff:article_list")).status_code == 403


def test_editor_creates_edits_and_publishes_an_article(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    _login(client, editor)
    category = CategoryFactory.create()

    response = client.post(reverse("news_staff:article_create"), {
        "unit": tree["bach_mai"].pk, "category": category.pk, "title": "Đêm hội văn nghệ",
        "lead": "Sapo", "body": "<p>Nội dung<script>x</script></p>", "source_tag": "MTTQ phường Bạch Mai",
        "author_name": "",
    })
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("news_staff:article_edit",
                                                                           args=[article.pk])
    assert article.body == "<p>Nội dung</p>" and article.status == ArticleStatus.DRAFT

    edit_page = client.get(reverse("news_staff:article_edit", args=[article.pk])).content.decode()
    assert "Đêm hội văn nghệ" in edit_page and "Xuất bản" in edit_page

    client.post(reverse("news_staff:article_publish", args=[article.pk]), {"publish_at": ""})
    article.refresh_from_db()
    assert article.is_public
    assert client.get(article.get_absolute_url()).status_code == 200

    listing = client.get(reverse("news_staff:article_list")).content.decode()
    assert "Đêm hội văn nghệ" in listing and "Đã đăng" in listing


def test_scheduling_from_the_form_keeps_the_article_hidden(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    article = ArticleFactory.create(unit=tree["bach_mai"], draft=True)
    when = timezone.localtime() + dt.timedelta(days=3)

    _login(client, editor).post(reverse("news_staff:article_publish", args=[article.pk]),
                                {"publish_at": when.strftime("%Y-%m-%dT%H:%M")})

    article.refresh_from_db()
    assert article.is_scheduled
    assert client.get(article.get_absolute_url()).status_code == 404


def test_article_form_errors_are_vietnamese_and_keep_values(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])

    response = _login(client, editor).post(reverse("news_staff:article_create"), {
        "unit": tree["bach_mai"].pk, "title": "", "lead": "Sapo đã gõ", "body": "<p>Thân bài đã gõ</p>",
    })
    html = response.content.decode()

    assert response.status_code == 200 and "Vui lòng nhập tiêu đề." in html
    assert "Sapo đã gõ" in html and "Thân bài đã gõ" in html
    assert not Article.objects.exists()


def test_editor_cannot_create_for_another_ward(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])

    response = _login(client, editor).post(reverse("news_staff:article_create"), {
        "unit": tree["vinh_tuy"].pk, "title": "Không được",
    })

    assert "Bạn không được đăng tin cho đơn vị này." in response.content.decode()
    assert not Article.objects.exists()


def test_out_of_scope_article_is_404_for_every_staff_view(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    other = ArticleFactory.create(unit=tree["vinh_tuy"])
    _login(client, editor)

    assert client.get(reverse("news_staff:article_edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("news_staff:photo_upload", args=[other.pk])).status_code == 404
    assert client.post(reverse("news_staff:article_publish", args=[other.pk])).status_code == 404
    assert client.post(reverse("news_staff:article_unpublish", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == ArticleStatus.PUBLISHED


def test_photo_upload_view_stores_a_clean_photo(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    article = ArticleFactory.create(unit=tree["bach_mai"])

    response = _login(client, editor).post(reverse("news_staff:photo_upload", args=[article.pk]),
                                           {"image": jpeg_upload(size=(2000, 500)), "caption": "Lễ ra quân"})

    assert response.status_code == 302
    photo = ArticlePhoto.objects.get()
    assert (photo.width, photo.height, photo.caption) == (1600, 400, "Lễ ra quân")


def test_photo_upload_view_rejects_a_text_file_with_a_message(client: Client, tree: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    article = ArticleFactory.create(unit=tree["bach_mai"])
    fake = SimpleUploadedFile("anh.jpg", b"not an image at all", content_type="image/jpeg")

    response = _login(client, editor).post(reverse("news_staff:photo_upload", args=[article.pk]),
                                           {"image": fake, "caption": "Chú thích đã gõ"})

    html = response.content.decode()
    assert response.status_code == 400 and "không phải ảnh JPEG, PNG hoặc WebP" in html
    assert "Chú thích đã gõ" in html and not ArticlePhoto.objects.exists()


def test_moderation_queue_approves_with_full_page_and_htmx(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    article = ArticleFactory.create(unit=tree["bach_mai"])
    first, second = CommentFactory.create_batch(2, article=article)
    _login(client, editor)

    queue = client.get(reverse("news_staff:comment_queue")).content.decode()
    assert f'id="binh-luan-{first.pk}"' in queue and "hx-post" in queue

    response = client.post(reverse("news_staff:comment_approve", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("news_staff:comment_queue")

    partial = client.post(reverse("news_staff:comment_reject", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "Đã từ chối" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    assert Comment.objects.get(pk=first.pk).status == CommentStatus.APPROVED
    assert Comment.objects.get(pk=second.pk).status == CommentStatus.REJECTED


def test_editor_of_one_ward_cannot_approve_another_wards_comment(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    comment = CommentFactory.create(article=ArticleFactory.create(unit=tree["vinh_tuy"]))
    _login(client, editor)

    assert client.post(reverse("news_staff:comment_approve", args=[comment.pk])).status_code == 404
    assert client.post(reverse("news_staff:comment_reject", args=[comment.pk])).status_code == 404
    assert f"binh-luan-{comment.pk}" not in client.get(reverse("news_staff:comment_queue")).content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_moderation_needs_post(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    comment = CommentFactory.create(article=ArticleFactory.create(unit=tree["bach_mai"]))

    assert _login(client, editor).get(reverse("news_staff:comment_approve", args=[comment.pk])).status_code == 405


# --- Cached page shells -----------------------------------------------------------------------------------


def _token(html: str) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) >= 1
    return sorted(tokens)[0]


def test_every_visitor_of_a_cached_page_gets_a_working_csrf_token() -> None:
    article = ArticleFactory.create()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(article.get_absolute_url())  # fills the cache
    pages = [first.get(article.get_absolute_url()), second.get(article.get_absolute_url())]
    tokens = [_token(p.content.decode()) for p in pages]

    assert tokens[0] != tokens[1]
    for client, token in zip((first, second), tokens, strict=True):
        response = client.post(article.get_absolute_url(), {
            "csrfmiddlewaretoken": token, "author_name": "Hoa", "body": "Cảm ơn bài viết.", "website": "",
        }, REMOTE_ADDR="192.0.2.30")
        assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_language_switcher_on_a_cached_page_carries_the_visitors_token() -> None:
    article = ArticleFactory.create()
    visitor = Client(enforce_csrf_checks=True)
    Client().get(article.get_absolute_url())  # someone else filled the cache
    html = visitor.get(article.get_absolute_url()).content.decode()

    response = visitor.post("/i18n/setlang/", {"csrfmiddlewaretoken": _token(html), "language": "en",
                                               "next": article.get_absolute_url()})

    assert response.status_code == 302


def test_home_page_served_from_cache_needs_one_query(client: Client, django_assert_max_num_queries: Any) -> None:
    ArticleFactory.create_batch(3)
    client.get(reverse("news:home"))

    with django_assert_max_num_queries(1):
        assert client.get(reverse("news:home")).status_code == 200


def test_new_publication_shows_on_the_cached_home_page_at_once(client: Client) -> None:
    ArticleFactory.create(title="Tin thứ nhất")
    assert "Tin thứ nhất" in client.get(reverse("news:home")).content.decode()
    draft = ArticleFactory.create(title="Tin vừa xuất bản", draft=True)

    services.article_publish(actor=user_with_role(Role.EDITOR, draft.unit), article=draft)

    assert "Tin vừa xuất bản" in client.get(reverse("news:home")).content.decode()


def test_scheduled_article_appears_on_the_cached_home_page_when_due(client: Client) -> None:
    ArticleFactory.create(title="Tin đã đăng")
    scheduled = ArticleFactory.create(title="Tin hẹn giờ", scheduled=True)
    assert "Tin hẹn giờ" not in client.get(reverse("news:home")).content.decode()

    # Time passes: no row changes, the article simply falls due.
    Article.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))

    assert "Tin hẹn giờ" in client.get(reverse("news:home")).content.decode()


def test_logged_in_visitors_never_get_an_anonymous_page(client: Client, tree: dict[str, Any]) -> None:
    article = ArticleFactory.create()
    Client().get(article.get_absolute_url())
    user = user_with_role(Role.VIEWER, tree["bach_mai"], full_name="Đỗ Thu Trang")

    html = _login(client, user).get(article.get_absolute_url()).content.decode()

    assert "Đăng xuất" in html and 'value="Đỗ Thu Trang"' in html


def test_head_requests_are_answered(client: Client) -> None:
    article = ArticleFactory.create()

    assert client.head(article.get_absolute_url()).status_code == 200
    assert client.head(reverse("news:home")).status_code == 200


def test_cadre_sees_a_published_article_read_only(client: Client, tree: dict[str, Any]) -> None:
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    article = ArticleFactory.create(unit=tree["bach_mai"])
    _login(client, cadre)

    page = client.get(reverse("news_staff:article_edit", args=[article.pk])).content.decode()
    response = client.post(reverse("news_staff:article_edit", args=[article.pk]), {"title": "Sửa lén"})

    assert "chỉ người có quyền xuất bản" in page and "Lưu thay đổi" not in page
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Sửa lén"


def test_staff_list_filters_by_state_and_keeps_the_filter_when_paging(client: Client, tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    for n in range(31):
        ArticleFactory.create(unit=tree["bach_mai"], draft=True, title=f"Nháp {n}")
    ArticleFactory.create(unit=tree["bach_mai"], title="Bài đã đăng")
    _login(client, editor)

    html = client.get(reverse("news_staff:article_list"), {"trang_thai": "nhap"}).content.decode()

    assert "Bài đã đăng" not in html and "Nháp 30" in html
    assert 'href="?trang_thai=nhap&amp;trang=2"' in html
