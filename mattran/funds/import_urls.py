"""Staff pages of statement imports (upload, background run, progress), mounted at /quan-ly/quy/nhap-sao-ke/."""

from django.urls import path

from mattran.funds import views_imports as views

app_name = "funds_imports"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("moi/", views.job_create, name="job_create"),
    path("<int:job_id>/", views.job_detail, name="job_detail"),
    path("<int:job_id>/tien-do/", views.job_status, name="job_status"),
]
