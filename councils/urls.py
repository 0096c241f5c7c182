from .views import action_items, activity, discussions, documents, feedback, meetings, motions, opinions, workspace

app_name = "councils"
# Each section of a workspace declares its own URLs (see views/common.py for the scheme).
urlpatterns = []
for section in (workspace, documents, discussions, meetings, action_items, motions, feedback, opinions, activity):
    urlpatterns += section.urlpatterns
