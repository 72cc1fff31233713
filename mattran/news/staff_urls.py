from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "news_staff"


def _pending(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [
    path("tin-tuc/", _pending, name="article_list"),
    path("binh-luan/", _pending, name="comment_queue"),
]
