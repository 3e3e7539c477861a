"""What a new installation starts with: version 1 of each consent text (published) and the
starting list of interests. Run once by migration 0002_initial_content; tests whose database
is emptied between tests (the browser tests) call it again rather than replaying a migration.

Takes an app registry (the migration's historical one, or django.apps.apps) and only ever
adds what is missing, so running it twice changes nothing."""

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


def create_initial_content(apps) -> None:
    ConsentText = apps.get_model("engagement", "ConsentText")
    Interest = apps.get_model("engagement", "Interest")
    now = timezone.now()
    for purpose, statement, body in CONSENT_TEXTS:
        ConsentText.objects.get_or_create(
            purpose=purpose,
            version=1,
            defaults={"statement": statement, "body": body, "published_at": now},
        )
    for order, name in enumerate(INTERESTS):
        Interest.objects.get_or_create(name=name, defaults={"sort_order": order})
