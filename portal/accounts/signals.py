"""Give the editor role what it needs in the CMS, after migrate has created the permissions."""

from django.contrib.auth.models import Permission

from .roles import RoleCode

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def grant_editor_permissions(sender, **kwargs):
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    from .models import Role

    role = Role.objects.select_related("group").filter(code=RoleCode.EDITOR).first()
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    if role is None or root_page is None or root_collection is None:
        return
    group = role.group
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if admin_access:
        group.permissions.add(admin_access)
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
        if permission:
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    for app_label, codenames in COLLECTION_PERMISSIONS.items():
        for codename in codenames:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
