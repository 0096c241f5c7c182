"""Workspace section: discussions (being built)."""

urlpatterns = []
