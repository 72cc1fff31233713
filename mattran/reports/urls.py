"""Staff pages of periodic reports, mounted at /quan-ly/bao-cao/."""

from django.urls import path

from mattran.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("don-vi/<int:unit_id>/ky/<int:period_id>/lap/", views.report_start, name="report_start"),
    path("tong-hop/<int:unit_id>/", views.overview, name="overview"),
    path("<int:report_id>/", views.report_detail, name="report_detail"),
    path("<int:report_id>/tra-lai/", views.report_return, name="report_return"),
    path("<int:report_id>/duyet/", views.report_approve, name="report_approve"),
    path("<int:report_id>/tai-ve.docx", views.report_docx, name="report_docx"),
    path("<int:report_id>/tai-ve.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:report_id>/tai-ve.pdf", views.report_pdf, name="report_pdf"),
]
