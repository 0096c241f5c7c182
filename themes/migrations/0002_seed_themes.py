from django.db import migrations

# code, Chinese name, English name, colour (white text on it passes WCAG AA), order
THEMES = [
    ("nev", "新能源汽车", "New-energy vehicles", "#1d6b3a", 10),
    ("biomed", "生物医药", "Biomedicine", "#0f5e8c", 20),
    ("ic", "集成电路", "Integrated circuits", "#5b3a8c", 30),
    ("ngit", "新一代信息技术", "Next-generation IT", "#1f4e8c", 40),
    ("materials", "新材料", "New materials", "#7a4b14", 50),
    ("smart_mfg", "智能制造", "Smart manufacturing", "#8c2f2f", 60),
    ("clean_energy", "清洁能源", "Clean energy", "#2f6b6b", 70),
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("themes", "Theme")
    for code, name_zh, name_en, colour, order in THEMES:
        Theme.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "colour": colour, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]
    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
