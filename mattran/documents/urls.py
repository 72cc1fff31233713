"""Staff pages of văn bản, mounted at /quan-ly/van-ban/."""

app_name = "documents"

urlpatterns: list = []
