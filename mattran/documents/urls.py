"""Staff pages of văn bản, mounted at /quan-ly/van-ban/."""

from django.urls import path

from mattran.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.register, name="register"),
]
