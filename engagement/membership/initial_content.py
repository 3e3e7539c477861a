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
        "your details with anyone outside the study team. You can see and download your data, "
        "or leave the group, at any time from your page on this website. If you leave, we "
        "delete your name, email address, phone number, access needs, equality answers and "
        "anything you wrote that could identify you; your role becomes “former member”; "
        "your votes and ratings stay only as anonymous counts. Payment records and receipts "
        "that the law says finance must keep are kept apart, seen only by the PPIE team, for "
        "six years after the tax year of the payment, and then deleted.",
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
    (
        "phone",
        "You may phone me or send me text messages at the number I give.",
        "We only use your phone number to invite you to take part, or to talk about something "
        "you are taking part in. You can take this back at any time: we then delete your "
        "number and contact you by email only.",
    ),
    (
        "equality",
        "I agree that you can store my equality monitoring answers, including my ethnic group "
        "and any health condition or disability.",
        "These answers help us see whether the group reflects the people the app is for. Ethnic "
        "group and health are special category data, so we only store them with this "
        "agreement. We keep them apart from your answers to consultations and only ever report "
        "them as totals, never for fewer than five people. Every question has “prefer not to "
        "say”. You can change or delete your answers, or take this agreement back, at any "
        "time; if you leave the group we delete them.",
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
