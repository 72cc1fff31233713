"""Public portal routes. Every view behind them is public (see mattran.news.views)."""

from django.urls import path

from mattran.news import views
from mattran.news.feeds import LatestNewsFeed

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    path("tin-tuc/", views.article_list, name="list"),
    path("tin-tuc/rss/", LatestNewsFeed(), name="rss"),
    path("tin-tuc/chuyen-muc/<slug:slug>/", views.category, name="category"),
    path("tin-tuc/ngay/", views.day_pick, name="day_pick"),
    path("tin-tuc/ngay/<str:day>/", views.day, name="day"),
    # Last, so that the fixed segments above win; services never hand those out as slugs.
    path("tin-tuc/<slug:slug>/", views.article, name="article"),
]
