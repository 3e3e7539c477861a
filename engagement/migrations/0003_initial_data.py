"""First published consent texts, the starting list of interests, and the PPIE managers'
permissions on members, campaigns, consent texts and interests."""

from django.db import migrations
from django.utils import timezone

CONSENT_TEXTS = [
    (
        "join",
        "I agree to join the stakeholder group and to be contacted about ways to get involved.",
        "We will keep your name, email address and role so that we can invite you to take "
        "part: to look at app designs, vote on what matters, and tell us what you think of "
        "questionnaires. We only contact you about involvement in this study. We never share "
        "your details with anyone outside the study team. You can download your data or leave "
        "the group at any time from your page on this website, and we will delete your contact "
        "details.",
    ),
    (
        "health_role",
        "I agree that you can store my role, which says something about my health or my "
        "family member's health.",
        "Saying that you have had CAR-T therapy, or that you care for someone who has, tells us "
        "something about health. The law calls this special category data. We only use it to "
        "make sure patients' and carers' views are heard fairly next to other groups. We do not "
        "use it for anything else and we never publish it with your name. You can take this "
        "agreement back at any time.",
    ),
    (
        "quote",
        "You may quote my words in reports, without my name (optional).",
        "Sometimes a person's own words explain something best. If you agree, we may quote what "
        "you write in reports and presentations about the study. We never use your name or "
        "anything that could identify you. You can say no and still take part in everything.",
    ),
]
INTERESTS = [
    "Trying app designs",
    "Voting on app features",
    "Checking questionnaires",
    "Meetings and events",
    "News and updates",
]
MODELS = ["member", "campaign", "consenttext", "interest", "consentrecord"]
GROUP = "PPIE managers"


def forwards(apps, schema_editor):
    ConsentText = apps.get_model("engagement", "ConsentText")
    Interest = apps.get_model("engagement", "Interest")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    now = timezone.now()
    for purpose, statement, body in CONSENT_TEXTS:
        ConsentText.objects.get_or_create(
            purpose=purpose,
            version=1,
            defaults={"statement": statement, "body": body, "published_at": now},
        )
    for order, name in enumerate(INTERESTS):
        Interest.objects.get_or_create(name=name, defaults={"sort_order": order})

    group, _ = Group.objects.get_or_create(name=GROUP)
    for model in MODELS:
        ct, _ = ContentType.objects.get_or_create(app_label="engagement", model=model)
        for action in ["view", "add", "change", "delete"]:
            if model == "consentrecord" and action != "view":
                continue  # consent is recorded by members, never edited by staff
            if model == "member" and action == "add":
                continue  # people join themselves, which records their consent
            perm, _ = Permission.objects.get_or_create(
                content_type=ct,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0002_members"),
        ("cms", "0002_ppie_managers_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
