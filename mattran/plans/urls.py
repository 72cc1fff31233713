"""Staff pages of kế hoạch công tác, mounted at /quan-ly/ke-hoach/."""

from django.urls import path

from mattran.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("don-vi/<int:unit_id>/them/", views.plan_create, name="plan_create"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_id>/ket-qua/", views.plan_results, name="plan_results"),
    path("<int:plan_id>/ke-hoach.docx", views.plan_docx, name="plan_docx"),
    path("<int:plan_id>/nhom/", views.group_add, name="group_add"),
    path("<int:plan_id>/nhiem-vu/", views.task_add, name="task_add"),
    path("<int:plan_id>/thong-qua/", views.plan_adopt, name="plan_adopt"),
    path("nhiem-vu/<int:task_id>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:task_id>/tien-do/", views.task_progress, name="task_progress"),
    path("nhiem-vu/<int:task_id>/sua/", views.task_edit, name="task_edit"),
]
