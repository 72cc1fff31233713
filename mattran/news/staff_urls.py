"""Staff routes, mounted under /quan-ly/. Every view declares its permission (see mattran.news.staff_views)."""

from django.urls import path

from mattran.news import staff_views as views

app_name = "news_staff"

urlpatterns = [
    path("tin-tuc/", views.article_list, name="article_list"),
    path("tin-tuc/them/", views.article_create, name="article_create"),
    path("tin-tuc/<int:article_id>/sua/", views.article_edit, name="article_edit"),
    path("tin-tuc/<int:article_id>/xuat-ban/", views.article_publish, name="article_publish"),
    path("tin-tuc/<int:article_id>/go-xuat-ban/", views.article_unpublish, name="article_unpublish"),
    path("tin-tuc/<int:article_id>/anh/", views.photo_upload, name="photo_upload"),
    path("binh-luan/", views.comment_queue, name="comment_queue"),
    path("binh-luan/<int:comment_id>/duyet/", views.comment_approve, name="comment_approve"),
    path("binh-luan/<int:comment_id>/tu-choi/", views.comment_reject, name="comment_reject"),
]
