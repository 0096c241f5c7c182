"""Council and committee workspaces, one module per section, each declaring its own ``urlpatterns`` (thin views:
permissions in permissions.py, changes in services). See common.py for the URL scheme."""
