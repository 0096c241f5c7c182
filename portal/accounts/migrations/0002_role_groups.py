"""Create one group per role code. Group names are what staff read; checks use Role.code."""

from django.db import migrations

ROLES = {
    "applicant": "申请人",
    "council_member": "委员会成员",
    "secretariat": "秘书处",
    "evaluator": "评审专家",
    "fund_manager": "基金管理人",
    "talent_officer": "人才工作人员",
    "authority": "行业主管部门",
    "editor": "内容编辑",
}


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Role = apps.get_model("accounts", "Role")
    for code, name in ROLES.items():
        if Role.objects.filter(code=code).exists():
            continue
        group, _ = Group.objects.get_or_create(name=name)
        Role.objects.create(code=code, group=group)


def remove_role_groups(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=ROLES):
        role.group.delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
