from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mattran.accounts.models import Role
from mattran.audit.models import AuditEvent
from mattran.news import services
from mattran.news.models import Article, ArticlePhoto, ArticleStatus, Comment, CommentStatus
from mattran.news.tests.factories import ArticleFactory, CommentFactory, jpeg_upload, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(tree: dict[str, Any]) -> Any:
    return user_with_role(Role.EDITOR, tree["bach_mai"])


def _create(editor: Any, tree: dict[str, Any], **kwargs: Any) -> Article:
    values = {"title": "Ngày hội Đại đoàn kết ở Đống Đa", "lead": "Sapo", "body": "<p>Nội dung</p>", **kwargs}
    return services.article_create(actor=editor, unit=tree["bach_mai"], **values)


def test_article_create_makes_a_draft_with_a_folded_slug_and_audit_event(editor: Any, tree: dict[str, Any]) -> None:
    article = _create(editor, tree)

    assert article.status == ArticleStatus.DRAFT
    assert article.slug == "ngay-hoi-dai-doan-ket-o-dong-da"
    assert article.author == editor and article.author_name == editor.display_name
    event = AuditEvent.objects.get(action="news.article.create")
    assert event.unit_id == tree["bach_mai"].pk and event.actor == editor
    assert event.changes["title"] == "Ngày hội Đại đoàn kết ở Đống Đa"


def test_slugs_stay_unique_and_avoid_route_names(editor: Any, tree: dict[str, Any]) -> None:
    first = _create(editor, tree)
    second = _create(editor, tree)
    rss = _create(editor, tree, title="RSS")

    assert second.slug == f"{first.slug}-2"
    assert rss.slug == "rss-2"


def test_body_loses_scripts_styles_and_event_handlers_and_links_get_rel(editor: Any, tree: dict[str, Any]) -> None:
    body = (
        '<p onclick="steal()">Xin chào <script>alert(1)</script><style>p{}</style>'
        '<a href="https://mattran.org.vn" onmouseover="x()" target="_blank">liên kết</a>'
        '<a href="javascript:alert(1)">xấu</a><img src="x.jpg" onerror="alert(1)"><iframe src="//x"></iframe></p>'
    )
    article = _create(editor, tree, body=body)

    assert "script" not in article.body and "alert" not in article.body
    assert "style" not in article.body and "onclick" not in article.body
    assert "onmouseover" not in article.body and "onerror" not in article.body
    assert "javascript:" not in article.body and "iframe" not in article.body
    assert 'rel="noopener noreferrer"' in article.body
    assert '<a href="https://mattran.org.vn" rel="noopener noreferrer">liên kết</a>' in article.body


def test_article_update_records_old_and_new_values(editor: Any, tree: dict[str, Any]) -> None:
    article = _create(editor, tree)

    services.article_update(actor=editor, article=article, title="Tiêu đề mới", lead="Sapo")

    event = AuditEvent.objects.get(action="news.article.update")
    assert event.changes["title"] == ["Ngày hội Đại đoàn kết ở Đống Đa", "Tiêu đề mới"]
    assert "lead" not in event.changes
    article.refresh_from_db()
    assert article.slug == "tieu-de-moi"  # a draft never published follows its title


def test_slug_of_a_published_article_never_changes(editor: Any, tree: dict[str, Any]) -> None:
    article = services.article_publish(actor=editor, article=_create(editor, tree))

    article = services.article_update(actor=editor, article=article, title="Tiêu đề khác")

    assert article.slug == "ngay-hoi-dai-doan-ket-o-dong-da"


def test_editor_cannot_write_news_of_another_ward(editor: Any, tree: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.article_create(actor=editor, unit=tree["vinh_tuy"], title="Không được")
    other = ArticleFactory.create(unit=tree["vinh_tuy"])
    with pytest.raises(PermissionDenied):
        services.article_update(actor=editor, article=other, title="Không được")
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=editor, article=other)


def test_cadre_may_edit_but_not_publish(tree: dict[str, Any]) -> None:
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    article = services.article_create(actor=cadre, unit=tree["bach_mai"], title="Bài của cán bộ", body="<p>x</p>")

    with pytest.raises(PermissionDenied):
        services.article_publish(actor=cadre, article=article)


def test_publishing_with_a_future_time_schedules_the_article(editor: Any, tree: dict[str, Any]) -> None:
    when = timezone.now() + dt.timedelta(days=2)

    article = services.article_publish(actor=editor, article=_create(editor, tree), publish_at=when)

    assert article.status == ArticleStatus.PUBLISHED and article.is_scheduled and not article.is_public
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert AuditEvent.objects.filter(action="news.article.schedule").count() == 1


def test_unpublish_hides_the_article_and_is_audited(editor: Any, tree: dict[str, Any]) -> None:
    article = services.article_publish(actor=editor, article=_create(editor, tree))

    services.article_unpublish(actor=editor, article=article)

    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    event = AuditEvent.objects.get(action="news.article.unpublish")
    assert event.changes["status"] == [ArticleStatus.PUBLISHED, ArticleStatus.DRAFT]


def test_empty_article_cannot_be_published(editor: Any, tree: dict[str, Any]) -> None:
    article = services.article_create(actor=editor, unit=tree["bach_mai"], title="Chỉ có tiêu đề")

    with pytest.raises(ValidationError):
        services.article_publish(actor=editor, article=article)


# --- Images -----------------------------------------------------------------------------------------------


def test_photo_upload_strips_exif_applies_orientation_and_resizes(editor: Any, tree: dict[str, Any],
                                                                  settings: Any) -> None:
    settings.IMAGE_MAX_SIDE = 1600
    article = _create(editor, tree)
    before = article.updated_at
    upload = jpeg_upload(size=(3000, 2000), orientation=6)  # 6: the camera was turned; display rotated 90°
    assert Image.open(io.BytesIO(upload.read())).getexif()
    upload.seek(0)

    photo = services.photo_add(actor=editor, article=article, image=upload, caption="  Trao quà  ")

    photo.refresh_from_db()
    assert photo.caption == "Trao quà"
    assert (photo.width, photo.height) == (1067, 1600)  # portrait after orientation, longest side 1600
    name = photo.image.name or ""
    assert name.startswith(f"news/{timezone.now():%Y/%m}/") and name.endswith(".jpg")
    with photo.image.open("rb") as stored, Image.open(stored) as saved:
        assert saved.format == "JPEG"
        assert saved.size == (1067, 1600)
        assert not saved.getexif()
        assert "exif" not in saved.info
    article.refresh_from_db()
    assert article.updated_at > before
    assert AuditEvent.objects.filter(action="news.photo.add", unit_id=tree["bach_mai"].pk).count() == 1


def test_png_with_transparency_becomes_jpeg(editor: Any, tree: dict[str, Any]) -> None:
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (0, 0, 0, 0)).save(out, format="PNG")

    photo = services.photo_add(actor=editor, article=_create(editor, tree),
                               image=SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png"))

    assert (photo.width, photo.height) == (40, 30)
    with photo.image.open("rb") as stored, Image.open(stored) as saved:
        assert saved.format == "JPEG"


def test_text_file_renamed_jpg_is_rejected_and_nothing_saved(editor: Any, tree: dict[str, Any]) -> None:
    article = _create(editor, tree)
    fake = SimpleUploadedFile("anh.jpg", b"Day khong phai la anh\n" * 10, content_type="image/jpeg")

    with pytest.raises(ValidationError) as exc:
        services.photo_add(actor=editor, article=article, image=fake)

    assert "không phải ảnh" in exc.value.message_dict["image"][0]
    assert not ArticlePhoto.objects.exists()


def test_gif_is_not_an_allowed_type(editor: Any, tree: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        services.photo_add(actor=editor, article=_create(editor, tree), image=jpeg_upload(fmt="GIF", size=(10, 10)))


def test_too_large_upload_is_rejected(editor: Any, tree: dict[str, Any], settings: Any) -> None:
    settings.IMAGE_MAX_BYTES = 1000

    with pytest.raises(ValidationError) as exc:
        services.photo_add(actor=editor, article=_create(editor, tree), image=jpeg_upload(size=(400, 400)))

    assert "quá lớn" in exc.value.message_dict["image"][0]


# --- Comments ---------------------------------------------------------------------------------------------


def test_anonymous_comment_is_pending_hashed_and_audited_without_actor(tree: dict[str, Any]) -> None:
    article = ArticleFactory.create(unit=tree["bach_mai"])

    comment = services.comment_post(actor=AnonymousUser(), article=article, author_name=" Bà Tư ",
                                    body="Cảm ơn Mặt trận!", ip_address="203.0.113.7")

    assert comment.status == CommentStatus.PENDING and comment.author_name == "Bà Tư"
    assert comment.ip_hash and "203.0.113.7" not in comment.ip_hash and len(comment.ip_hash) == 64
    event = AuditEvent.objects.get(action="news.comment.post")
    assert event.actor is None and event.unit_id == tree["bach_mai"].pk


def test_fourth_comment_in_the_window_is_refused_and_not_saved(tree: dict[str, Any], settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT, settings.COMMENT_RATE_WINDOW_SECONDS = 3, 600
    article = ArticleFactory.create(unit=tree["bach_mai"])
    for n in range(3):
        services.comment_post(actor=None, article=article, author_name="An", body=f"Ý kiến {n}",
                              ip_address="198.51.100.1")

    with pytest.raises(ValidationError) as exc:
        services.comment_post(actor=None, article=article, author_name="An", body="Lần thứ tư",
                              ip_address="198.51.100.1")

    assert exc.value.code == "rate_limited" and "quá nhiều bình luận" in exc.value.messages[0]
    assert Comment.objects.count() == 3
    # Another visitor is not affected.
    services.comment_post(actor=None, article=article, author_name="Bình", body="Tôi khác", ip_address="198.51.100.2")


def test_comments_are_refused_on_drafts_and_scheduled_articles(tree: dict[str, Any]) -> None:
    for article in (ArticleFactory.create(draft=True), ArticleFactory.create(scheduled=True)):
        with pytest.raises(ValidationError):
            services.comment_post(actor=None, article=article, author_name="An", body="x", ip_address="1.2.3.4")


def test_approving_updates_count_and_version_and_records_the_decision(tree: dict[str, Any]) -> None:
    moderator = user_with_role(Role.EDITOR, tree["district"])
    article = ArticleFactory.create(unit=tree["bach_mai"])
    comment = CommentFactory.create(article=article)

    services.comment_approve(actor=moderator, comment=comment)

    article.refresh_from_db()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED and comment.moderated_by == moderator
    assert comment.moderated_at is not None
    assert (article.comment_count, article.comments_version) == (1, 1)
    event = AuditEvent.objects.get(action="news.comment.approve")
    assert event.changes == {"status": [CommentStatus.PENDING, CommentStatus.APPROVED]}
    assert event.unit_id == tree["bach_mai"].pk

    services.comment_reject(actor=moderator, comment=comment)

    article.refresh_from_db()
    assert (article.comment_count, article.comments_version) == (0, 2)


def test_editor_of_one_ward_cannot_moderate_another_wards_comments(tree: dict[str, Any]) -> None:
    editor = user_with_role(Role.EDITOR, tree["bach_mai"])
    comment = CommentFactory.create(article=ArticleFactory.create(unit=tree["vinh_tuy"]))

    with pytest.raises(PermissionDenied):
        services.comment_approve(actor=editor, comment=comment)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_cadre_cannot_change_a_published_article(tree: dict[str, Any]) -> None:
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    article = ArticleFactory.create(unit=tree["bach_mai"])

    with pytest.raises(PermissionDenied):
        services.article_update(actor=cadre, article=article, title="Sửa lén")
    with pytest.raises(PermissionDenied):
        services.photo_add(actor=cadre, article=article, image=jpeg_upload(size=(20, 20)))
    article.refresh_from_db()
    assert article.title != "Sửa lén"


def test_cover_upload_is_processed_and_its_size_kept(editor: Any, tree: dict[str, Any]) -> None:
    article = _create(editor, tree, cover=jpeg_upload(size=(2400, 1200)))

    assert (article.cover_width, article.cover_height) == (1600, 800)
    assert (article.cover.name or "").endswith(".jpg")
    with pytest.raises(ValidationError) as exc:
        services.article_update(actor=editor, article=article, cover=SimpleUploadedFile("x.png", b"text"))
    assert "cover" in exc.value.message_dict


def test_publishing_a_public_article_again_keeps_its_date(editor: Any, tree: dict[str, Any]) -> None:
    article = ArticleFactory.create(unit=tree["bach_mai"])
    published = article.publish_at

    article = services.article_publish(actor=editor, article=article)

    assert article.publish_at == published
