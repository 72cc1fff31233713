"""Staff pages of kế hoạch công tác, mounted at /quan-ly/ke-hoach/."""

app_name = "plans"

urlpatterns: list = []
