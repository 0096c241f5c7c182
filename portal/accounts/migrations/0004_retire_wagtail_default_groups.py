"""Retire Wagtail's default "Editors" and "Moderators" groups in favour of the editor role's group.

Wagtail's own data migrations create both groups and a "Moderators approval" workflow whose single task
Moderators approve. Beside our role groups they read as two more roles nobody assigns, and the workflow's
name shows in the editor's menu as "提交给Moderators approval". This migration

- moves what the groups grant onto the editor role's group: their members, their page, collection and
  site permission rows, the approval tasks and view restrictions that name them;
- renames the default workflow and task (only while they still carry Wagtail's default name);
- deletes the two groups.

A group's model-level permissions are not moved: the editor role's are declared in
``portal.accounts.signals``, and Wagtail's defaults there (admin access; add, change, choose and delete
images and documents) repeat the root-collection rows the editor role holds, except delete, which the
role leaves out on purpose. A group that someone gave any other model permission is left alone, since
retiring it would take that permission from its members.

Idempotent (a second run finds nothing to do) and a no-op where the groups are gone or no editor role exists.
"""

from django.db import migrations

WAGTAIL_GROUP_NAMES = ["Editors", "Moderators"]
WAGTAIL_WORKFLOW_NAME = "Moderators approval"  # wagtailcore 0048: "<group names> approval"
WORKFLOW_NAME = "内容审核"
TASK_NAME = "内容编辑审核"

# The model permissions Wagtail's own migrations give the two groups.
WAGTAIL_DEFAULT_MODEL_PERMISSIONS = {
    ("wagtailadmin", "access_admin"),
    *(
        (app, f"{verb}_{model}")
        for app, model in [("wagtailimages", "image"), ("wagtaildocs", "document")]
        for verb in ("add", "change", "choose", "delete")
    ),
}

# Rows that grant a group something on one object: (app, model, the fields besides the group).
PERMISSION_ROWS = [
    ("wagtailcore", "GroupPagePermission", ("page_id", "permission_id")),
    ("wagtailcore", "GroupCollectionPermission", ("collection_id", "permission_id")),
    ("wagtailcore", "GroupSitePermission", ("site_id", "permission_id")),
]
# Many-to-many fields that name groups: (app, model, field).
GROUP_LISTS = [
    ("wagtailcore", "GroupApprovalTask", "groups"),
    ("wagtailcore", "PageViewRestriction", "groups"),
    ("wagtailcore", "CollectionViewRestriction", "groups"),
]


def _model(apps, app_label, name):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _only_default_model_permissions(group):
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    return held <= WAGTAIL_DEFAULT_MODEL_PERMISSIONS


def _move_grants(apps, stray, editors):
    editors.user_set.add(*stray.user_set.all())
    for app_label, name, fields in PERMISSION_ROWS:
        model = _model(apps, app_label, name)
        if model is None:
            continue
        for values in model.objects.filter(group=stray).values(*fields):
            model.objects.get_or_create(group=editors, **values)
    for app_label, name, field in GROUP_LISTS:
        model = _model(apps, app_label, name)
        if model is None:
            continue
        for holder in model.objects.filter(**{field: stray}):
            getattr(holder, field).add(editors)


def retire_wagtail_default_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Role = apps.get_model("accounts", "Role")
    role = Role.objects.select_related("group").filter(code="editor").first()
    if role is None:
        return
    editors = role.group
    strays = Group.objects.filter(name__in=WAGTAIL_GROUP_NAMES, role__isnull=True)
    for stray in strays:
        if not _only_default_model_permissions(stray):
            continue
        _move_grants(apps, stray, editors)
        stray.delete()

    Workflow = _model(apps, "wagtailcore", "Workflow")
    Task = _model(apps, "wagtailcore", "Task")
    if Workflow is not None:
        Workflow.objects.filter(name=WAGTAIL_WORKFLOW_NAME).update(name=WORKFLOW_NAME)
    if Task is not None:
        Task.objects.filter(name=WAGTAIL_WORKFLOW_NAME).update(name=TASK_NAME)


class Migration(migrations.Migration):
    # After every Wagtail migration that creates or grants to the default groups, and the default workflow.
    dependencies = [
        ("accounts", "0003_real_name_not_an_office"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]
    operations = [migrations.RunPython(retire_wagtail_default_groups, migrations.RunPython.noop)]
