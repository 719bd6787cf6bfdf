"""Routes of the meetings area: attendance."""

urlpatterns: list = []
