# Placeholder routes until the news portal lands (being written in this session).
from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "news"


def _pending(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Cổng tin tức đang được xây dựng.")


urlpatterns = [
    path("", _pending, name="home"),
    path("tin-tuc/", _pending, name="list"),
    path("tin-tuc/chuyen-muc/<slug:slug>/", _pending, name="category"),
    path("tin-tuc/rss/", _pending, name="rss"),
]
