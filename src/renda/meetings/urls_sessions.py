"""Routes of the meetings area: sessions."""

urlpatterns: list = []
