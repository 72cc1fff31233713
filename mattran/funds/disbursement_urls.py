"""Staff pages of allocations and payments out of drives, mounted at /quan-ly/quy/phan-bo/."""

from django.urls import path

from mattran.funds import views_disbursements as views

app_name = "funds_disbursements"

urlpatterns = [
    path("", views.drive_index, name="drive_index"),
    path("dot/<int:drive_id>/", views.allocation_list, name="allocation_list"),
    path("dot/<int:drive_id>/them/", views.allocation_create, name="allocation_create"),
    path("dot/<int:drive_id>/sao-ke-chua-khop/", views.unmatched_debits, name="unmatched_debits"),
    path("dot/<int:drive_id>/danh-sach.xlsx", views.recipients_xlsx, name="recipients_xlsx"),
    path("dot/<int:drive_id>/danh-sach.docx", views.recipients_docx, name="recipients_docx"),
    path("<int:allocation_id>/", views.allocation_detail, name="allocation_detail"),
    path("<int:allocation_id>/sua/", views.allocation_edit, name="allocation_edit"),
    path("<int:allocation_id>/huy/", views.allocation_cancel, name="allocation_cancel"),
    path("<int:allocation_id>/chi/", views.payment_create, name="payment_create"),
    path("khoan-chi/<int:payment_id>/khop/", views.payment_match, name="payment_match"),
    path("khoan-chi/<int:payment_id>/bo-khop/", views.payment_unmatch, name="payment_unmatch"),
    path("khoan-chi/<int:payment_id>/xoa/", views.payment_delete, name="payment_delete"),
]
