"""Workspace section: feedback (being built)."""

urlpatterns = []
