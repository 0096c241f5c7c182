from .views import admissions, public

app_name = "talent"
# Each part of the talent programmes declares its own URLs (public pages under /talent/, the office's and the
# teams' workspace under /talent/office/ and /talent/my/).
urlpatterns = []
for section in (public, admissions):
    urlpatterns += section.urlpatterns
