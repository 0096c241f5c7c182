"""Views of the fund: pipeline (being built, issue 10)."""

urlpatterns = []
