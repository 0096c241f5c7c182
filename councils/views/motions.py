"""Workspace section: motions (being built)."""

urlpatterns = []
