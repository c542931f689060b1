from django.db import migrations

PLATFORMS = [
    ("Facebook", "facebook", "named_roles", True, "https://www.facebook.com/"),
    ("Instagram", "instagram", "named_roles", False, "https://www.instagram.com/"),
    ("X", "x", "shared_login", False, "https://x.com/"),
    ("YouTube", "youtube", "named_roles", False, "https://www.youtube.com/"),
    ("LinkedIn", "linkedin", "named_roles", False, "https://www.linkedin.com/"),
    ("TikTok", "tiktok", "shared_login", False, "https://www.tiktok.com/"),
    ("Flickr", "flickr", "shared_login", False, "https://www.flickr.com/"),
]

# §4: "Inga förkortningar t.ex. norakm". Matched after separators are removed.
BLOCKED = ["norakm", "norakn", "norak0mmun", "nkommun", "nrakommun", "norakomun"]


def forwards(apps, schema_editor):
    Platform = apps.get_model("channels_registry", "Platform")
    Blocked = apps.get_model("channels_registry", "BlockedAbbreviation")
    for name, slug, kind, public, url in PLATFORMS:
        Platform.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "access_kind": kind, "requires_public_without_login": public, "base_url": url},
        )
    for term in BLOCKED:
        Blocked.objects.get_or_create(term=term, defaults={"note": "Policy §4"})


class Migration(migrations.Migration):
    dependencies = [("channels_registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
