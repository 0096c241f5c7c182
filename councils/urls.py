from django.urls import path

from . import views
from .views import activity, discussions, feedback, meetings, motions, opinions

app_name = "councils"
urlpatterns = [
    path("", views.workspace_list, name="workspaces"),
    path("<slug:slug>/", views.council_workspace, name="council"),
    path("<slug:slug>/folders/new/", views.council_folder_create, name="council_folder_create"),
    path("<slug:slug>/committees/<int:pk>/", views.committee_workspace, name="committee"),
    path("<slug:slug>/committees/<int:pk>/folders/new/", views.committee_folder_create, name="committee_folder_create"),
    path("<slug:slug>/folders/<int:pk>/", views.folder_detail, name="folder"),
    path("<slug:slug>/folders/<int:pk>/upload/", views.document_upload, name="document_upload"),
    path("<slug:slug>/documents/<int:pk>/", views.document_detail, name="document"),
    path("<slug:slug>/documents/<int:pk>/versions/new/", views.version_upload, name="version_upload"),
    path("<slug:slug>/versions/<int:pk>/download/", views.version_download, name="download"),
]
# Each section of a workspace declares its own URLs (see views/common.py for the scheme).
for section in (discussions, meetings, motions, feedback, opinions, activity):
    urlpatterns += section.urlpatterns
