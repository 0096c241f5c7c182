"""Give the editor role what it needs in the CMS, after migrate has created the permissions.

Runs after every migrate, so existing databases pick up a permission added here on their next deploy.
Editors get content only: no users, groups, sites, locales or settings.
"""

from django.contrib.auth.models import Permission

from .roles import RoleCode

# Model permissions: enter the admin, and submit a page for translation (simple_translation's "Translate"
# action and /admin/translation/submit/page/<id>/ both ask for it, besides edit rights on the page).
MODEL_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "simple_translation": ["submit_translation"],
}
# Granted on the tree root, so they cover every locale's tree: the Chinese site and its English translation.
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
    for app_label, codenames in MODEL_PERMISSIONS.items():
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
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
