"""Routes of the meetings area: reports."""

urlpatterns: list = []
