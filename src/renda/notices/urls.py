"""The notice board (/notices/)."""

app_name = "notices"

urlpatterns: list = []
