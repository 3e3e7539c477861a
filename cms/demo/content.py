"""The words of the demo site: page fields and StreamField bodies.

Written for a reading age of 9 to 11: short sentences, common words, "you". Bodies are lists
in StreamField's JSON form; links to other demo pages use Wagtail's rich-text page links, so
they follow the page if it moves. Paths listed as stable in DESIGN.md (/join/, /me/data/, ...)
are plain links.
"""

import datetime

CONTACT_EMAIL = "ppie@example.org"
ORGANISATION_NAME = "PRO-CAR-T PPIE Hub"


# --- StreamField block helpers --------------------------------------------------------------
def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def callout(title: str, html: str, style: str = "info") -> dict:
    return {"type": "callout", "value": {"style": style, "heading": title, "text": html}}


def accordion(*items: tuple[str, str]) -> dict:
    return {
        "type": "accordion",
        "value": {"items": [{"summary": summary, "content": html} for summary, html in items]},
    }


def image(image_id: int, alt_text: str, caption: str = "") -> dict:
    return {
        "type": "image",
        "value": {"image": image_id, "alt_text": alt_text, "caption": caption},
    }


def page_link(page, text: str) -> str:
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def mail_link(email: str = CONTACT_EMAIL) -> str:
    return f'<a href="mailto:{email}">{email}</a>'


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- Home page ------------------------------------------------------------------------------
HOME = {
    "title": "Home",
    "hero_title": "Help us make an app for people having CAR-T therapy",
    "hero_text": (
        "We are building a phone app for people who have CAR-T cell therapy. "
        "If you have had CAR-T, or you care for someone who has, you can help us get it right."
    ),
    "hero_image_alt": (
        "A drawing of a phone showing the app's home screen. Speech bubbles next to it say: "
        "Bigger text, please. I like the diary. Easy to use."
    ),
    "join_heading": "Join our stakeholder group",
    "join_text": (
        "It takes less than a minute. You choose what to help with and how often. "
        "You can leave at any time."
    ),
    "search_description": (
        "Help a UK research team design an app for people having CAR-T cell therapy."
    ),
}


def home_intro(what_is_car_t) -> str:
    return (
        f"<p>{page_link(what_is_car_t, 'CAR-T')} is a new kind of treatment for some blood "
        "cancers. After it, people need check-ups for a long time.</p>"
        "<p>Our app will help you tell your care team how you feel. You can use it from the day "
        "you leave hospital to years later.</p>"
        "<p>On this site you can look at the app, tell us what you think and see what we "
        "changed because of you.</p>"
    )


# --- Section index pages --------------------------------------------------------------------
NEWS_INDEX = {
    "title": "News",
    "intro": "News from the PRO-CAR-T team: what we did, what we learned and what we changed.",
}
PROTOTYPE_INDEX = {
    "title": "App prototypes",
    "intro": (
        "A prototype is an early version of the app. Look at it screen by screen. "
        "Tell us what works for you and what does not."
    ),
}
EVENT_INDEX = {
    "title": "Events",
    "intro": "Come and meet us. Try the app, ask questions and tell us what you think.",
}


# --- About the study ------------------------------------------------------------------------
ABOUT = {
    "title": "About the study",
    "intro": (
        "We are a research team in the UK. We are building a phone app for people who have "
        "CAR-T cell therapy. We want patients, carers and the public to help us design it."
    ),
}
ABOUT_IMAGE_ALT = (
    "The home screen of the app. It says Good morning, Sam. Below is a list of things to do "
    "today and four big buttons: Diary, Medicines, Contact and Check-in."
)


def about_body(what_is_car_t, screen_image_id: int) -> list[dict]:
    return [
        heading("What the app does"),
        paragraph(
            "<p>The app asks you short questions about how you feel. Doctors call your answers "
            "patient-reported outcomes, or PROs for short.</p>"
            "<p>Your answers help your care team spot problems early. You can use the app from "
            "the time you leave hospital, while you get better, and for years after. "
            f"Read more about {page_link(what_is_car_t, 'what CAR-T therapy is')}.</p>"
        ),
        image(screen_image_id, ABOUT_IMAGE_ALT, "An early design of the app's home screen."),
        heading("Why we need you"),
        paragraph(
            "<p>People who have had CAR-T know things we do not. You know what is hard on a bad "
            "day. You know which questions make sense and which do not.</p>"
            "<p>Many people feel very tired after treatment. Some find it hard to focus or to "
            "see small text. We want the app to be easy to use on those days too.</p>"
        ),
        heading("What you can do"),
        paragraph(
            "<ul>"
            '<li>Look at <a href="/prototypes/">the app screens</a> and tell us what you '
            "think.</li>"
            "<li>Vote for the parts of the app that matter most to you.</li>"
            "<li>Check that our questions are clear and easy to answer.</li>"
            "<li>See what we changed because of you.</li>"
            "</ul>"
        ),
        callout(
            "You choose how much you do",
            "<p>You can help once, or often. You can take a break when you need to. You can "
            'stop at any time and you do not have to say why. <a href="/join/">Join the '
            "stakeholder group</a>.</p>",
        ),
        heading("How we work with you"),
        accordion(
            (
                "Who can join?",
                "<p>Anyone who has had CAR-T therapy, or is waiting for it. Carers and family "
                "members. Members of the public. Doctors, nurses, researchers and charities "
                "are welcome too.</p>",
            ),
            (
                "Will I be paid?",
                "<p>Before each activity we tell you if we offer a payment. You can take it, "
                "take less or say no. This can matter if you get benefits.</p>"
                "<p>We always pay back costs like travel. Please keep your receipts. Nobody "
                "should be out of pocket because they helped us.</p>",
            ),
            (
                "Is this research?",
                "<p>No. Helping us design the app is not the same as taking part in research. "
                "If we ever want to use your answers as research data, we will tell you "
                "clearly and ask you first.</p>",
            ),
            (
                "How do you make sure you do this well?",
                "<p>We follow the UK Standards for Public Involvement. They ask us to:</p>"
                "<ul><li>make it easy for everyone to take part</li>"
                "<li>work together as a team</li>"
                "<li>give you support and training if you want it</li>"
                "<li>write clearly and keep you up to date</li>"
                "<li>show the difference you made</li>"
                "<li>involve you in decisions about how we run things</li></ul>",
            ),
        ),
    ]


# --- What is CAR-T therapy? -----------------------------------------------------------------
WHAT_IS_CAR_T = {
    "title": "What is CAR-T therapy?",
    "intro": (
        "CAR-T is a treatment for some types of blood cancer. It uses your own immune cells "
        "to fight the cancer."
    ),
}


def what_is_car_t_body() -> list[dict]:
    return [
        callout(
            "This is a simple guide",
            "<p>Your care team can tell you what CAR-T means for you.</p>",
        ),
        heading("How it works"),
        paragraph(
            "<p>Your blood has white cells called T cells. They fight germs. CAR-T changes "
            "some of your T cells so they can find and attack cancer cells.</p>"
            "<ol>"
            "<li>The hospital collects some T cells from your blood.</li>"
            "<li>A lab changes the T cells so they can spot your cancer.</li>"
            "<li>The lab grows lots of these new cells.</li>"
            "<li>You get the cells back through a drip.</li>"
            "<li>The cells find the cancer cells and attack them.</li>"
            "</ol>"
        ),
        heading("Who has it?"),
        paragraph(
            "<p>Doctors use CAR-T for some blood cancers. They are also testing it for other "
            "illnesses. These include some solid tumours and some autoimmune diseases. An "
            "autoimmune disease is when your immune system attacks your own body.</p>"
        ),
        heading("Life after CAR-T"),
        paragraph(
            "<p>Getting better can take a long time. Many people feel very tired. Some find it "
            "hard to think clearly or to remember things. Some have problems with their "
            "eyesight for a while.</p>"
            "<p>That is why our app has large text, big buttons and short questions. You can "
            "stop at any point and carry on later.</p>"
        ),
        callout(
            "If you feel unwell",
            "<p>This website and the app are <strong>not</strong> for emergencies. If you feel "
            "unwell after CAR-T, call the phone number your hospital gave you straight away.</p>",
            style="warning",
        ),
        heading("Questions people ask"),
        accordion(
            (
                "What does CAR-T stand for?",
                "<p>It stands for chimeric antigen receptor T-cell therapy. The receptor is the "
                "part the lab adds to your T cells. It helps them find the cancer.</p>",
            ),
            (
                "Why do I need check-ups for so long?",
                "<p>Your care team wants to see how you are getting on, and spot any problems "
                "early. This can go on for years. Our app will let you tell them how you feel "
                "between visits.</p>",
            ),
        ),
    ]


# --- Accessibility statement ----------------------------------------------------------------
ACCESSIBILITY = {
    "title": "Accessibility statement",
    "intro": (
        f"This statement is about the {ORGANISATION_NAME} website. We want as many people as "
        "possible to be able to use it."
    ),
}


def accessibility_body(prepared_on: datetime.date) -> list[dict]:
    email = mail_link()
    return [
        heading("Using this website"),
        paragraph(
            "<p>You should be able to:</p>"
            "<ul>"
            "<li>make the text up to 4 times bigger and still read every page</li>"
            "<li>change colours, contrast and fonts in your browser</li>"
            "<li>use the whole site with just a keyboard</li>"
            "<li>use the site with a screen reader, such as NVDA, JAWS or VoiceOver</li>"
            "<li>use the site with speech recognition software</li>"
            "<li>sign in with a code we email to you, with no password to remember</li>"
            "<li>use the site with JavaScript turned off</li>"
            "</ul>"
            "<p>We write in plain English and keep sentences short.</p>"
            '<p><a href="https://mcmw.abilitynet.org.uk/">AbilityNet</a> has advice on making '
            "your device easier to use if you have a disability.</p>"
        ),
        heading("How accessible this website is"),
        paragraph(
            "<p>We know some parts of this website are not fully accessible:</p>"
            "<ul>"
            "<li>Interactive app prototypes come from other websites, such as Figma. They may "
            "not work well with a keyboard or a screen reader.</li>"
            "<li>Pictures of app screens can have small text. Each one has a written "
            "description next to it.</li>"
            "</ul>"
        ),
        heading("What to do if you cannot use part of this website"),
        paragraph(
            "<p>If you need something on this website in another format, please ask. We can "
            "send it as large print, easy read, audio or braille.</p>"
            f"<p>Email us at {email}. We will reply within 5 working days.</p>"
        ),
        heading("Reporting accessibility problems with this website"),
        paragraph(
            "<p>We are always trying to make this website better. If you find a problem that "
            "is not on this page, or you think we are not meeting the accessibility rules, "
            f"email us at {email}.</p>"
        ),
        heading("Enforcement procedure"),
        paragraph(
            "<p>The Equality and Human Rights Commission (EHRC) makes sure that public bodies "
            "follow the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
            "Accessibility Regulations 2018 (the accessibility regulations).</p>"
            "<p>If you are not happy with how we answer your complaint, contact the "
            '<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and '
            "Support Service (EASS)</a>.</p>"
        ),
        heading("Technical information about this website's accessibility"),
        paragraph(
            "<p>We want our website to be accessible, as the accessibility regulations require.</p>"
        ),
        heading("Compliance status", "h3"),
        paragraph(
            "<p>We aim to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at "
            "level AA. This website is partially compliant with WCAG 2.2 AA, because of the "
            "content listed below.</p>"
        ),
        heading("Content that is not accessible", "h3"),
        paragraph(
            "<p>Interactive prototypes from other websites are shown in a frame. We cannot "
            "check that they meet WCAG 2.2 AA. Every prototype page also shows each screen as "
            "a picture with a written description, so you do not need the interactive "
            "version.</p>"
            "<p>If we add a video, it will have captions or a written version. If you find "
            "one without, please tell us.</p>"
        ),
        heading("What we do to make this website accessible", "h3"),
        paragraph(
            "<ul>"
            "<li>We check new pages with automated tools and by hand, with a keyboard and a "
            "screen reader.</li>"
            "<li>Buttons and links are at least 24 by 24 pixels, so they are easy to tap.</li>"
            "<li>Signing in does not ask you to remember a password.</li>"
            "<li>Forms keep your answers if something goes wrong, and say clearly what to "
            "fix.</li>"
            "</ul>"
        ),
        heading("Preparation of this accessibility statement", "h3"),
        paragraph(
            f"<p>This statement was prepared on {long_date(prepared_on)}. The website was "
            "tested by the PRO-CAR-T team. We will review this statement every year.</p>"
        ),
    ]


# --- Privacy notice -------------------------------------------------------------------------
PRIVACY = {
    "title": "Privacy notice",
    "intro": (
        "This notice tells you what information we keep about you when you join our "
        "stakeholder group, why we keep it and what your rights are."
    ),
}


def privacy_body() -> list[dict]:
    email = mail_link()
    return [
        heading("Who we are"),
        paragraph(
            "<p>We are the PRO-CAR-T team, part of an NIHR Blood and Transplant Research Unit. "
            "We are in charge of your information. The law calls this being the data "
            "controller.</p>"
        ),
        heading("What we collect when you join"),
        paragraph(
            "<ul>"
            "<li>your name</li>"
            "<li>your email address</li>"
            "<li>your role, for example patient, carer, doctor or member of the public</li>"
            "<li>any access needs you want to tell us about &#8211; you do not have to</li>"
            "</ul>"
            "<p>We also keep a record of what you agreed to, when you agreed and the exact "
            "words you saw.</p>"
            "<p>We only ask for what we need.</p>"
        ),
        heading("Why we collect it"),
        paragraph(
            "<ul>"
            "<li>To invite you to activities, like reviewing the app.</li>"
            "<li>To know whose views we are hearing, such as patients or carers.</li>"
            "<li>To make activities work for you, if you tell us your access needs.</li>"
            "<li>To pay you, or pay back your costs, if you choose.</li>"
            "<li>To report how many people took part. These reports show numbers, not "
            "names.</li>"
            "</ul>"
        ),
        heading("Our legal reason for using it"),
        paragraph(
            "<p>UK data protection law (the UK GDPR) says we need a legal reason to use your "
            "information. Our reason is your consent. You can take back your consent at any "
            "time. It is as easy as giving it.</p>"
        ),
        callout(
            "Information about your health",
            "<p>If you tell us you are a patient, for example that you have had CAR-T, this "
            "tells us something about your health. The law calls this special category "
            "data.</p>"
            "<p>We only keep it if you give us clear, separate permission. The law calls this "
            "explicit consent. We ask for it with its own tick box, apart from everything "
            "else.</p>",
            style="warning",
        ),
        heading("Who can see your information"),
        paragraph(
            "<p>Only our PPIE manager and the team members who run involvement activities. "
            "We do not sell your information or give it to other companies.</p>"
            "<p>We may share what you told us in reports, but never with your name.</p>"
        ),
        heading("How long we keep it"),
        paragraph(
            "<p>We keep your details while you are a member of the group. When you leave, we "
            "delete your contact details. We keep your feedback without your name, so we can "
            "still show what changed because of it.</p>"
        ),
        heading("Your rights"),
        paragraph(
            "<p>You can see, correct or delete the information we hold about you.</p>"
            "<ul>"
            '<li><a href="/me/data/">Download your data</a>. You get a file with everything we '
            "hold about you.</li>"
            '<li><a href="/me/withdraw/">Leave the group</a>. We delete your contact details '
            "and remove your name from your answers.</li>"
            f"<li>Or email {email} and ask for a copy. We will reply within one month.</li>"
            "</ul>"
        ),
        heading("Contact us or complain"),
        paragraph(
            f"<p>If you have a question about your information, email {email}.</p>"
            "<p>If you are not happy with how we use your information, you can complain to "
            "the Information Commissioner's Office (ICO). Visit "
            '<a href="https://ico.org.uk/make-a-complaint/">ico.org.uk/make-a-complaint</a> '
            "or call 0303 123 1113.</p>"
        ),
    ]


# --- Prototype ------------------------------------------------------------------------------
PROTOTYPE = {
    "title": "PRO-CAR-T patient app",
    "slug": "pro-car-t-patient-app",
    "version_label": "v0.3",
    "summary": (
        "This is the third version of our patient app. It helps you tell your care team how "
        "you feel after CAR-T therapy. Please look at each screen and tell us what you think."
    ),
    "changes": (
        "<p>We made these changes because of what you told us at the regional CAR-T event:</p>"
        "<ul>"
        "<li>The text is bigger on every screen.</li>"
        "<li>Buttons are bigger and further apart.</li>"
        "<li>The symptom diary has a box for notes in your own words.</li>"
        "<li>There is a new weekly wellbeing check-in. You can stop and finish it later.</li>"
        "</ul>"
    ),
}

# key: the drawing in cms/demo/images.py
PROTOTYPE_SCREENS = [
    {
        "key": "today",
        "title": "Home: today",
        "description": (
            "The first screen you see. It says hello and shows what to do today. "
            "Big buttons take you to your diary, your medicines, your care team and the "
            "weekly check-in."
        ),
        "alt_text": (
            "Home screen. At the top it says Good morning, Sam. A list called Things to do "
            "today has two tasks: Fill in your diary, and Take 8am medicine, which is ticked. "
            "Below are four big buttons: Diary, Medicines, Contact and Check-in."
        ),
    },
    {
        "key": "diary",
        "title": "Symptom diary",
        "description": (
            "Tell the app how you feel today. Pick how bad each symptom is, from none to "
            "severe. You can add a note in your own words if you want to."
        ),
        "alt_text": (
            "Symptom diary screen. It asks: How tired are you today? There are four choices: "
            "None, Mild, Moderate and Severe. Moderate is picked. Below is an optional notes "
            "box and a green Save button."
        ),
    },
    {
        "key": "medicines",
        "title": "Medication reminders",
        "description": (
            "A list of your medicines and when to take them. Tick each one when you have "
            "taken it. The app can remind you when it is time."
        ),
        "alt_text": (
            "Medicines screen. It lists three medicines with the times to take them. The first "
            "has a green tick to show it has been taken. A button at the bottom says Add a "
            "reminder."
        ),
    },
    {
        "key": "contact",
        "title": "Contact my care team",
        "description": (
            "How to reach your CAR-T team, day or night. A red box at the top tells you what "
            "to do if you feel very unwell."
        ),
        "alt_text": (
            "Contact screen. A red box says: Feeling very unwell? Call your CAR-T team now, day "
            "or night. Do not wait. Below are two buttons: Call the CAR-T team, in red, and "
            "Send a message, in blue."
        ),
    },
    {
        "key": "checkin",
        "title": "Wellbeing check-in",
        "description": (
            "A short check-in once a week about your mood, sleep and daily life. It has five "
            "questions and takes about two minutes. You can stop and finish it later."
        ),
        "alt_text": (
            "Wellbeing check-in screen, question 1 of 5. It asks: How well did you sleep this "
            "week? Five faces go from very sad (Very badly) to very happy (Very well). The "
            "fourth face is picked. Buttons say Next, and Stop and finish later."
        ),
    },
]


# --- Events ---------------------------------------------------------------------------------
PAST_EVENT = {
    "title": "Regional CAR-T event",
    "slug": "regional-car-t-event",
    "venue": "City Conference Centre",
    "address": "1 Example Square\nMidtown\nMT1 1AA",
    "summary": (
        "A meeting for everyone who works on CAR-T in our region: doctors, nurses, "
        "researchers, drug companies, charities and patient groups. We had a stand where you "
        "could try our app."
    ),
}


def past_event_body(news_page) -> list[dict]:
    return [
        paragraph(
            "<p>This event brought together people who work on CAR-T therapy in our region. "
            "There were talks about new treatments and about life after CAR-T.</p>"
            "<p>Our team had a stand. Visitors tried an early version of our app on a tablet. "
            "We asked them to join our stakeholder group.</p>"
            f"<p>{page_link(news_page, 'Read what visitors told us')}.</p>"
        ),
    ]


FUTURE_EVENT = {
    "title": "CAR-T patient and carer day",
    "slug": "car-t-patient-and-carer-day",
    "venue": "Riverside Community Centre",
    "address": "25 River Road\nMidtown\nMT2 4BB",
    "summary": (
        "A friendly day for people who have had CAR-T therapy and the people who care for "
        "them. Try the newest version of our app and meet the team."
    ),
}


def future_event_body(prototype) -> list[dict]:
    email = mail_link()
    return [
        paragraph(
            "<p>Come and spend the day with other people who know what CAR-T is like. You can "
            "bring a carer, friend or family member.</p>"
            f"<p>You can try {page_link(prototype, 'the newest version of our app')} and tell "
            "us what you think. You do not need to know anything about apps.</p>"
        ),
        heading("What happens on the day"),
        paragraph(
            "<ul>"
            "<li>10:00 &#8211; Arrive. Tea, coffee and a chat.</li>"
            "<li>10:30 &#8211; Welcome from the team.</li>"
            "<li>11:00 &#8211; Try the app in small groups.</li>"
            "<li>12:30 &#8211; Lunch. Tell us if you have a special diet.</li>"
            "<li>1:30 &#8211; Talk: life after CAR-T, with time for questions.</li>"
            "<li>3:00 &#8211; What we will do next with your ideas.</li>"
            "<li>3:30 &#8211; Home time.</li>"
            "</ul>"
            "<p>You can take a break whenever you need to.</p>"
        ),
        heading("Getting there"),
        paragraph(
            "<p>The building has step-free access, a hearing loop and a quiet room where you "
            "can rest. There is free parking next to it.</p>"
            "<p>We pay back your travel costs. Please keep your tickets or receipts.</p>"
        ),
        callout(
            "Tell us what you need",
            "<p>If you need anything to help you take part, like large print or a seat near "
            f"the front, email {email} before the day.</p>",
        ),
    ]


# --- News -----------------------------------------------------------------------------------
NEWS = {
    "title": "Our stand at the regional CAR-T event",
    "slug": "stand-at-regional-car-t-event",
    "summary": (
        "Visitors to our stand tried the app on a tablet and told us what they thought. "
        "Many of them joined our stakeholder group."
    ),
    "image_alt": (
        "A drawing of our stand. A banner says PRO-CAR-T patient app: help us design it. On "
        "the table is a tablet showing the app, and a sign with a QR code that says Scan to "
        "join."
    ),
    "tags": ["events", "app prototype", "stakeholder group"],
}


def news_body(event_day: datetime.date, event_page, prototype) -> list[dict]:
    return [
        paragraph(
            f"<p>On {long_date(event_day)} we had a stand at the "
            f"{page_link(event_page, 'regional CAR-T event')}. Doctors, nurses, researchers, "
            "drug companies, charities and patient groups were there. So were patients and "
            "carers.</p>"
        ),
        heading("Trying the app"),
        paragraph(
            "<p>We brought a tablet with an early version of our app. Visitors tapped through "
            "the screens. Then they told us what was easy and what was hard.</p>"
        ),
        heading("What you told us"),
        paragraph(
            "<ul>"
            "<li>The text was too small for some people.</li>"
            "<li>The buttons in the symptom diary were too close together.</li>"
            "<li>People wanted to add a note in their own words.</li>"
            "<li>Carers asked if they could help someone fill in the diary.</li>"
            "</ul>"
        ),
        callout(
            "What we changed",
            "<p>Version 0.3 of the app has bigger text, bigger buttons and a notes box in the "
            f"symptom diary. {page_link(prototype, 'See the new screens')}.</p>"
            "<p>We are still working on a way for carers to help. We will share it soon.</p>",
        ),
        heading("Joining the group"),
        paragraph(
            "<p>We asked visitors to join our stakeholder group. They scanned a QR code with "
            "their phone, or typed their details into the tablet at the stand. It took less "
            "than a minute.</p>"
            "<p>Thank you to everyone who came to say hello. If you missed us, you can still "
            '<a href="/join/">join the group</a>.</p>'
        ),
    ]


NEWS_PROTOTYPE = {
    "title": "Version 0.3 of the app is ready for you to look at",
    "slug": "app-version-0-3-ready",
    "summary": (
        "We changed the app because of what you told us. Have a look at the new screens and "
        "tell us what you think."
    ),
    "image_alt": (
        "Three screens from version 0.3 of the app: the symptom diary, the medicines list and "
        "the wellbeing check-in."
    ),
    "tags": ["app prototype", "you said, we did"],
}


def news_prototype_body(prototype, stand_news) -> list[dict]:
    return [
        paragraph(
            "<p>At the regional CAR-T event, many of you tried our app and told us what to "
            f"change. {page_link(stand_news, 'Read what you told us')}.</p>"
            "<p>Version 0.3 has bigger text and bigger buttons. The symptom diary has a box "
            "for notes in your own words. There is also a new weekly wellbeing check-in.</p>"
        ),
        callout(
            "Tell us what you think",
            f"<p>{page_link(prototype, 'Look at the screens of version 0.3')}. It takes about "
            "10 minutes. You can stop at any time.</p>",
        ),
    ]
