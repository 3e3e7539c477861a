"""Ideas members put forward: suggesting one (cleaned, limited per day, never twice), the
manager's review in the admin (accept into a consultation as a feature, join, decline with an
emailed reason), what the member sees on /me/ and /me/ideas/, and the "you said, we did" link."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from engagement.ideas import services
from engagement.models import Feature, Idea, Member
from tests.factories.consultations import ConsultationFactory
from tests.factories.ideas import IdeaFactory, accepted_idea
from tests.factories.membership import ManagerFactory, MemberFactory
from tests.factories.outcomes import outcome_index, outcome_page
from tests.html import field, labelled, saved_message, section, soup, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_tree")]
SITE_TREE_ONCE = True


def post_idea(client, **data):
    return client.post("/me/ideas/new/", {"kind": "feature", **data})


def review(client, idea, decision, **data):
    return client.post(
        f"/admin/ideas/inspect/{idea.pk}/",
        {"decision": decision, **{f"{decision}-{k}": v for k, v in data.items()}},
    )


# --- Suggesting -------------------------------------------------------------------------------


def test_a_member_suggests_an_idea_for_an_open_consultation(member_client, member):
    consultation = ConsultationFactory(title="Alerts in the app")

    page = member_client.get("/me/ideas/new/")
    assert page.status_code == 200
    options = [o.get_text(strip=True) for o in field(page, "consultation").find_all("option")]
    assert options == ["No, it is for the app or the group in general", "Alerts in the app"]

    response = post_idea(
        member_client,
        title="  A reminder\nto <b>drink</b> water ",
        description="On tired days I forget.<script>alert(1)</script>\r\nEvery day.",
        consultation=consultation.pk,
    )

    assert response.status_code == 302
    assert response["Location"] == "/me/ideas/#ideas-saved"
    idea = Idea.objects.get()
    assert (idea.member, idea.status, idea.consultation) == (member, "new", consultation)
    assert idea.title == "A reminder to drink water"
    assert idea.description == "On tired days I forget.alert(1)\nEvery day."
    listing = member_client.get("/me/ideas/")
    assert "Your idea is sent to the team" in saved_message(listing, "ideas")
    assert "Waiting for the team to look at it" in section(listing, "ideas-heading")


def test_a_closed_or_unseen_consultation_cannot_be_chosen(member_client):
    closed = ConsultationFactory(closed=True)
    invited_only = ConsultationFactory(audience="invited")

    for consultation in (closed, invited_only):
        response = post_idea(member_client, title="Bigger text", consultation=consultation.pk)
        assert response.status_code == 400
        assert "Choose one of the consultations shown, or none" in text_of(response)
    assert not Idea.objects.exists()


def test_bad_input_gets_a_message_next_to_the_field_and_the_words_stay(member_client):
    response = post_idea(member_client, title="<p> </p>", description="x" * 601)

    assert response.status_code == 400
    page = soup(response)
    assert "Give your idea a short title" in page.find(id="id_title-error").get_text()
    assert "600 characters or fewer" in page.find(id="id_description-error").get_text()
    assert field(response, "description").get_text().strip() == "x" * 601
    assert not Idea.objects.exists()


def test_a_double_submit_saves_one_idea(member_client):
    for _ in range(2):
        assert post_idea(member_client, title="Bigger text").status_code == 302
    assert Idea.objects.count() == 1


def test_the_daily_limit_is_a_clear_message_beside_the_form(member_client, member, settings):
    settings.IDEAS_PER_DAY = 2
    IdeaFactory(member=member, created_at=timezone.now() - datetime.timedelta(hours=25))
    for n in range(2):
        assert post_idea(member_client, title=f"Idea {n}").status_code == 302

    # Another tab, with the form still open: refused, with the words kept.
    refused = post_idea(member_client, title="A third one", description="Still here")
    assert refused.status_code == 429
    summary = labelled(refused, "error-summary-title")
    assert "You have suggested 2 ideas in the last 24 hours" in summary.get_text()
    assert field(refused, "description").get_text().strip() == "Still here"
    assert Idea.objects.filter(member=member).count() == 3

    # Opening the form again: the message instead of a form that cannot be sent.
    page = member_client.get("/me/ideas/new/")
    assert page.status_code == 200
    assert "Please come back tomorrow" in soup(page).find(id="idea-limit").get_text()
    assert not soup(page).find("form", method="post")


def test_the_limit_counts_the_last_24_hours(member, settings):
    settings.IDEAS_PER_DAY = 1
    IdeaFactory(member=member, created_at=timezone.now() - datetime.timedelta(hours=23))
    with pytest.raises(services.LimitReached):
        services.suggest_idea(member=member, kind="topic", title="Sleep")
    Idea.objects.update(created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1))
    assert services.suggest_idea(member=member, kind="topic", title="Sleep").kind == "topic"


@pytest.mark.parametrize("status", ["pending", "paused"])
def test_only_active_members_suggest(status):
    member = MemberFactory(status=status)
    client = Client()
    client.force_login(member.user)

    page = client.get("/me/ideas/new/")
    assert not soup(page).find("form", method="post")
    assert client.post("/me/ideas/new/", {"kind": "topic", "title": "Sleep"}).status_code == 403
    with pytest.raises(ValidationError):
        services.suggest_idea(member=member, kind="topic", title="Sleep")
    assert not Idea.objects.exists()


def test_people_who_are_not_members_cannot_reach_the_pages():
    client = Client()
    assert client.get("/me/ideas/new/").status_code == 302  # to sign in
    client.force_login(ManagerFactory())
    assert client.get("/me/ideas/").status_code == 404
    assert client.get("/me/ideas/new/").status_code == 404


# --- The manager's review ----------------------------------------------------------------------


def test_accepting_makes_a_feature_that_knows_its_idea_and_tells_the_member(
    manager_client, member, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(title="Alerts in the app", features=2)
    idea = IdeaFactory(member=member, title="Water reminder", description="Tired days")
    page = manager_client.get(f"/admin/ideas/inspect/{idea.pk}/")
    assert page.status_code == 200
    assert field(page, "accept-title")["value"] == "Water reminder"

    with django_capture_on_commit_callbacks(execute=True):
        response = review(
            manager_client,
            idea,
            "accept",
            consultation=consultation.pk,
            title="Remind me to drink water",
            description="A gentle reminder.",
        )

    assert response.status_code == 302
    feature = Feature.objects.get(idea=idea)
    assert (feature.consultation, feature.title, feature.sort_order) == (
        consultation,
        "Remind me to drink water",
        3,  # at the end of its list
    )
    idea.refresh_from_db()
    assert idea.status == "accepted" and idea.decided_by.email.startswith("manager")
    (email,) = mail.outbox
    assert email.to == [member.user.email]
    assert "“Remind me to drink water” in the consultation “Alerts in the app”, for members" in (
        email.body
    )
    assert "/me/ideas/" in email.body


def test_a_closed_consultation_takes_no_new_feature(manager_client, member):
    idea = IdeaFactory(member=member)
    closed = ConsultationFactory(closed=True)

    response = review(manager_client, idea, "accept", consultation=closed.pk, title="X")

    assert response.status_code == 400
    assert "Choose one of the consultations shown" in text_of(response)
    assert not Feature.objects.filter(idea=idea).exists()
    with pytest.raises(ValidationError):
        services.accept_idea(idea=idea, consultation=closed, title="X")


def test_declining_needs_a_reason_and_emails_it(
    manager_client, member, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(member=member, title="Games")

    empty = review(manager_client, idea, "decline", reason="  ")
    assert empty.status_code == 400
    reason = soup(empty).find(attrs={"data-contentpath": "reason"})
    assert "Say why, in a few words" in reason.find(class_="error-message").get_text()

    with django_capture_on_commit_callbacks(execute=True):
        response = review(
            manager_client, idea, "decline", reason="The app is for <i>health</i> only."
        )

    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.decline_reason) == ("declined", "The app is for health only.")
    (email,) = mail.outbox
    assert email.to == [member.user.email]
    assert "The app is for health only." in email.body
    # Decided once: a second decision is refused, with the reason.
    again = review(manager_client, idea, "decline", reason="Again")
    assert again.status_code == 302
    assert "decided already" in text_of(manager_client.get(again["Location"]))
    assert Idea.objects.get().decline_reason == "The app is for health only."


def test_a_member_who_asked_to_be_phoned_is_not_emailed(
    manager_client, django_capture_on_commit_callbacks
):
    member = MemberFactory(contact_preference=Member.ContactPreference.PHONE, phone="07700900123")
    idea = IdeaFactory(member=member)
    with django_capture_on_commit_callbacks(execute=True):
        review(manager_client, idea, "decline", reason="Not now.")
    assert mail.outbox == []
    assert Idea.objects.get().status == "declined"


def test_joining_ideas_follows_the_one_taken_forward(
    manager_client, django_capture_on_commit_callbacks
):
    ann, ben, cat = MemberFactory(), MemberFactory(), MemberFactory()
    first = IdeaFactory(member=ann, title="Water reminder by Ann")
    second = IdeaFactory(member=ben, title="Drink reminder by Ben")
    third = IdeaFactory(member=cat, title="Hydration by Cat")

    assert review(manager_client, third, "merge", into=second.pk).status_code == 302
    assert review(manager_client, second, "merge", into=first.pk).status_code == 302
    third.refresh_from_db()
    assert third.merged_into == first  # follows where its idea went
    assert review(manager_client, first, "merge", into=first.pk).status_code == 400

    consultation = ConsultationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_idea(idea=first, consultation=consultation, title="Water reminders")
    # Everyone whose idea it follows hears that it is taken forward.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in (ann, ben, cat))
    joined = next(m for m in mail.outbox if m.to == [cat.user.email])
    assert "joined it with a similar idea from another member" in joined.body
    assert "Ann" not in joined.body
    client = Client()
    client.force_login(cat.user)
    ideas = section(client.get("/me/ideas/"), "ideas-heading")
    assert "Joined with a similar idea, which was taken forward" in ideas
    assert "It is now the feature “Water reminders”" in ideas
    assert "Ann" not in ideas and "Ben" not in ideas  # never another member's words


def test_only_managers_review_and_a_forged_id_is_not_found(member_client, manager_client, member):
    idea = IdeaFactory(member=member)
    assert member_client.get(f"/admin/ideas/inspect/{idea.pk}/").status_code == 302
    assert review(member_client, idea, "decline", reason="x").status_code == 302
    assert Idea.objects.get().status == "new"
    assert manager_client.get(f"/admin/ideas/inspect/{'9' * 30}/").status_code == 404
    assert manager_client.get("/admin/ideas/new/").status_code in (302, 403)
    # Editing the member's words is not offered: "edit" opens the review page.
    assert manager_client.get(f"/admin/ideas/edit/{idea.pk}/")["Location"] == (
        f"/admin/ideas/inspect/{idea.pk}/"
    )
    listing = manager_client.get("/admin/ideas/?status=new")
    assert idea.title in text_of(listing)


# --- What the member sees --------------------------------------------------------------------


def test_the_member_sees_each_state_and_the_change_it_led_to(site_tree, member, member_client):
    consultation = ConsultationFactory(title="Alerts in the app")
    IdeaFactory(member=member, title="Waiting one")
    IdeaFactory(member=member, title="Games", status="declined", decline_reason="Health only.")
    changed = accepted_idea(member, consultation, title="Water reminder")
    feature = Feature.objects.get(idea=changed)
    outcome_page(
        outcome_index(site_tree["home"]),
        consultation,
        title="What we changed in May",
        changes=[{"title": "The app reminds you to drink", "features": [feature]}],
    )

    me = section(member_client.get("/me/"), "ideas-heading")
    assert "Waiting one" in me and "Waiting for the team to look at it" in me
    assert "Games" in me and "Not taken forward" in me and "Why: Health only." in me
    assert "Water reminder" in me and "It led to a change" in me
    assert "The app reminds you to drink. Read “What we changed in May”" in me
    me_page = labelled(member_client.get("/me/"), "ideas-heading")
    links = {a.get_text(strip=True): a["href"] for a in me_page.find_all("a")}
    assert links["Read “What we changed in May”"].startswith("/you-said-we-did/")
    assert links["Suggest an idea"] == "/me/ideas/new/"
    assert links["All your ideas"] == "/me/ideas/"

    # The outcome page says the change came from a member's idea (never whose).
    outcome = Client().get(links["Read “What we changed in May”"])
    changes = section(outcome, "changed-heading")
    assert "your votes on “Feature: Water reminder” (an idea a member suggested)" in changes
    assert member.display_name not in text_of(outcome)


def test_a_change_on_an_unpublished_page_is_not_announced(site_tree, member, member_client):
    consultation = ConsultationFactory()
    idea = accepted_idea(member, consultation, title="Water reminder")
    outcome_page(
        outcome_index(site_tree["home"]),
        consultation,
        publish=False,
        changes=[{"title": "Drink reminders", "features": [Feature.objects.get(idea=idea)]}],
    )
    me = section(member_client.get("/me/"), "ideas-heading")
    assert "Taken forward" in me and "Drink reminders" not in me


def test_someone_else_never_sees_my_ideas(member):
    IdeaFactory(member=member, title="My private idea")
    other = MemberFactory()
    client = Client()
    client.force_login(other.user)
    for url in ("/me/", "/me/ideas/", "/me/data/"):
        assert "My private idea" not in text_of(client.get(url))


def test_the_consultation_page_offers_an_idea_for_it(member_client):
    consultation = ConsultationFactory(title="Alerts in the app", features=1)

    page = member_client.get(f"/consultations/{consultation.slug}/")
    link = soup(page).find("a", string="Suggest an idea for this consultation")
    assert link["href"] == f"/me/ideas/new/?consultation={consultation.pk}"

    form = member_client.get(link["href"])
    chosen = field(form, "consultation").find("option", selected=True)
    assert chosen.get_text(strip=True) == "Alerts in the app"


def test_the_permissions_per_role(member):
    from engagement.ideas.rules import REVIEW, SUGGEST

    manager = ManagerFactory()
    paused = MemberFactory(status="paused")
    assert member.user.has_perm(SUGGEST) and not member.user.has_perm(REVIEW)
    assert not paused.user.has_perm(SUGGEST)
    assert manager.has_perm(REVIEW) and manager.has_perm("engagement.view_idea")
    assert not manager.has_perm(SUGGEST)  # not a member of the group
    assert not manager.has_perm("engagement.add_idea")
    assert not manager.has_perm("engagement.delete_idea")
