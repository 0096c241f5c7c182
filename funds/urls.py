from .views import committee, deals, indicator_sets, performance, performance_data, pipeline, portfolio, room, transfer

app_name = "funds"
# Each part of the fund's workspace declares its own URLs, all under /workspace/funds/<fund slug>/.
urlpatterns = []
for section in (pipeline, deals, room, transfer, committee, portfolio, performance, performance_data, indicator_sets):
    urlpatterns += section.urlpatterns
