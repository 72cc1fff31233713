"""Staff pages of báo cáo định kỳ, mounted at /quan-ly/bao-cao/."""

app_name = "reports"

urlpatterns: list = []
