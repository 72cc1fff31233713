"""Staff pages of hội nghị, mounted at /quan-ly/hoi-nghi/."""

app_name = "conferences"

urlpatterns: list = []
