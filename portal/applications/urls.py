from django.urls import path

from .views import apply, workspace

app_name = "applications"
urlpatterns = [
    # The applicant's pages. The numeric routes come first: /apply/<slug>/<owner_pk>/ would also match them.
    path("apply/", apply.open_calls, name="open"),
    path("apply/<int:pk>/step/<slug:step>/", apply.step, name="step"),
    path("apply/<int:pk>/attachments/", apply.attachments, name="attachments"),
    path("apply/<int:pk>/attachments/<int:attachment_pk>/remove/", apply.remove_attachment, name="remove_attachment"),
    path("apply/<int:pk>/review/", apply.review, name="review"),
    path("apply/<slug:slug>/<str:owner_pk>/", apply.start, name="start"),
    # In the workspace.
    path("workspace/applications/", workspace.application_list, name="list"),
    path("workspace/applications/<int:pk>/", workspace.application_detail, name="detail"),
    path("workspace/applications/<int:pk>/files/<int:attachment_pk>/", workspace.download, name="download"),
    path("workspace/applications/<int:pk>/withdraw/", workspace.withdraw, name="withdraw"),
    path("workspace/applications/<int:pk>/answer/", workspace.answer, name="answer"),
    path("workspace/applications/<int:pk>/supplement/", workspace.request_supplement, name="request_supplement"),
    path("workspace/applications/<int:pk>/notes/", workspace.add_note, name="note"),
    path("workspace/applications/<int:pk>/reveal/", workspace.reveal, name="reveal"),
]
