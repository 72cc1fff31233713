"""Staff pages of hội nghị, mounted at /quan-ly/hoi-nghi/."""

from django.urls import path

from mattran.conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="conference_list"),
    path("don-vi/<int:unit_id>/them/", views.conference_create, name="conference_create"),
    path("<int:conference_id>/", views.conference_detail, name="conference_detail"),
    path("<int:conference_id>/sua/", views.conference_edit, name="conference_edit"),
    path("<int:conference_id>/chuong-trinh/", views.agenda_add, name="agenda_add"),
    path("chuong-trinh/<int:agenda_item_id>/sua/", views.agenda_edit, name="agenda_edit"),
    path("chuong-trinh/<int:agenda_item_id>/bo/", views.agenda_remove, name="agenda_remove"),
    path("chuong-trinh/<int:agenda_item_id>/chuyen/", views.agenda_move, name="agenda_move"),
    path("<int:conference_id>/diem-danh/lap/", views.roll_call, name="roll_call"),
    path("<int:conference_id>/diem-danh/", views.attendance_mark, name="attendance_mark"),
    path("<int:conference_id>/bien-ban/", views.minutes_draft, name="minutes_draft"),
    path("<int:conference_id>/bien-ban/thong-qua/", views.minutes_adopt, name="minutes_adopt"),
    path("<int:conference_id>/bien-ban.docx", views.minutes_docx, name="minutes_docx"),
    path("<int:conference_id>/ket-luan/", views.conclusion_add, name="conclusion_add"),
    path("<int:conference_id>/ket-luan/giao-nhiem-vu/", views.conclusion_to_task, name="conclusion_to_task"),
    path("ket-luan/<int:conclusion_id>/sua/", views.conclusion_edit, name="conclusion_edit"),
    path("ket-luan/<int:conclusion_id>/bo/", views.conclusion_remove, name="conclusion_remove"),
    path("<int:conference_id>/xoa/", views.conference_delete, name="conference_delete"),
]
