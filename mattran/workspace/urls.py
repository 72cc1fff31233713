from django.urls import path

from mattran.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:unit_id>/nhan-su/them/", views.person_add, name="person_add"),
    path("don-vi/<int:unit_id>/khoa/them/", views.term_add, name="term_add"),
    path("nhan-su/<int:person_id>/", views.person_detail, name="person_detail"),
    path("nhan-su/<int:person_id>/sua/", views.person_edit, name="person_edit"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
]
