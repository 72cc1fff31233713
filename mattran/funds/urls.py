"""Staff pages of funds, drives, pledges, receiving accounts and cash receipts, mounted at /quan-ly/quy/.

(/quan-ly/quy/nhap-sao-ke/ and /quan-ly/quy/phan-bo/ are the import and disbursement pages, mounted first.)
"""

from django.urls import path

from mattran.funds import views

app_name = "funds"

urlpatterns = [
    path("", views.drive_list, name="drive_list"),
    path("quy/moi/", views.fund_create, name="fund_create"),
    path("quy/<int:fund_id>/sua/", views.fund_edit, name="fund_edit"),
    path("dot/moi/", views.drive_create, name="drive_create"),
    path("dot/<int:drive_id>/", views.drive_detail, name="drive_detail"),
    path("dot/<int:drive_id>/sua/", views.drive_edit, name="drive_edit"),
    path("dot/<int:drive_id>/vietqr.png", views.drive_qr_png, name="drive_qr_png"),
    path("dot/<int:drive_id>/don-vi-van-dong/moi/", views.pledge_create, name="pledge_create"),
    path("dot/<int:drive_id>/bien-lai/moi/", views.receipt_create, name="receipt_create"),
    path("don-vi-van-dong/<int:pledge_id>/", views.pledge_detail, name="pledge_detail"),
    path("don-vi-van-dong/<int:pledge_id>/sua/", views.pledge_edit, name="pledge_edit"),
    path("don-vi-van-dong/<int:pledge_id>/bo/", views.pledge_remove, name="pledge_remove"),
    path("don-vi-van-dong/<int:pledge_id>/vietqr.png", views.pledge_qr_png, name="pledge_qr_png"),
    path("tai-khoan/", views.account_list, name="account_list"),
    path("tai-khoan/moi/", views.account_create, name="account_create"),
    path("tai-khoan/<int:account_id>/", views.account_detail, name="account_detail"),
    path("tai-khoan/<int:account_id>/sua/", views.account_edit, name="account_edit"),
    path("tai-khoan/<int:account_id>/chot-so/", views.account_close_days, name="account_close_days"),
    path("bien-lai/", views.receipt_list, name="receipt_list"),
    path("bien-lai/<int:receipt_id>/", views.receipt_detail, name="receipt_detail"),
    path("but-toan/<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("but-toan/<int:entry_id>/dieu-chinh/", views.entry_correct, name="entry_correct"),
    path("but-toan/<int:entry_id>/an-danh/", views.entry_anonymity, name="entry_anonymity"),
]
