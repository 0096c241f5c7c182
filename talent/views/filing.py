"""placeholder"""

urlpatterns = []
