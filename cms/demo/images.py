"""Pictures for the demo site, drawn in code with Pillow (no image or font files needed).

- `draw_screen(key)`: a 360 x 720 phone frame showing one screen of the patient app.
- `draw_hero()`: a phone with speech bubbles of patients' comments, for the home page.
- `draw_stand()`: the team's stand at the regional CAR-T event, for the news item.

Each returns PNG bytes. `get_or_create_image()` stores them as Wagtail images, reusing an image
with the same title so that running the demo loader again adds nothing.
"""

import hashlib
from collections.abc import Callable
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

# NHS.UK-like colours, as in static/css/site.css.
BLUE = "#005eb8"
DARK_BLUE = "#003087"
TEXT = "#212b32"
GREY = "#4c6272"
PALE_BLUE = "#e8f1f8"
PALE_GREY = "#f0f4f5"
BORDER = "#d8dde0"
GREEN = "#007f3b"
RED = "#d5281b"
PALE_RED = "#fbe9e7"
YELLOW = "#ffb81c"
WHITE = "#ffffff"
FRAME = "#1d252c"

PHONE_W, PHONE_H = 360, 720


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font (Pillow 10.1 and later draw it at any size)."""
    return ImageFont.load_default(size=size)


def wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    """Split text into lines no wider than width pixels."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font(size)) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def to_png(image: PILImage.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


class PhoneScreen:
    """A phone frame with a status bar and a title bar; components stack down the screen."""

    LEFT, RIGHT = 30, PHONE_W - 30  # the content column
    WIDTH = RIGHT - LEFT

    def __init__(self, title: str, back: bool = True):
        self.image = PILImage.new("RGBA", (PHONE_W, PHONE_H), (0, 0, 0, 0))
        draw = self.draw = ImageDraw.Draw(self.image)
        draw.rounded_rectangle((0, 0, PHONE_W - 1, PHONE_H - 1), radius=48, fill=FRAME)
        draw.rounded_rectangle((12, 12, PHONE_W - 13, PHONE_H - 13), radius=36, fill=WHITE)
        self._status_bar()
        # Title bar.
        draw.rectangle((12, 48, PHONE_W - 13, 108), fill=BLUE)
        x = 30
        if back:
            draw.line((40, 66, 30, 78, 40, 90), fill=WHITE, width=4, joint="curve")
            x = 54
        self.text_line((x, 78), title, 24, WHITE, bold=True, anchor="lm")
        # Home indicator.
        draw.rounded_rectangle((130, PHONE_H - 30, 230, PHONE_H - 24), radius=3, fill=FRAME)
        self.y = 128

    def _status_bar(self):
        draw = self.draw
        draw.text((40, 31), "9:41", font=font(15), fill=TEXT, anchor="lm")
        draw.rounded_rectangle((140, 20, 220, 40), radius=10, fill=FRAME)  # camera notch
        for i in range(4):  # signal strength
            draw.rectangle((262 + i * 6, 36 - 3 - i * 3, 265 + i * 6, 36), fill=TEXT)
        draw.rounded_rectangle((292, 25, 316, 37), radius=3, outline=TEXT, width=2)
        draw.rectangle((295, 28, 309, 34), fill=TEXT)
        draw.rectangle((317, 29, 319, 33), fill=TEXT)

    # --- drawing helpers -------------------------------------------------------------------
    def text_line(self, xy, text, size, fill=TEXT, bold=False, anchor="la"):
        self.draw.text(
            xy,
            text,
            font=font(size),
            fill=fill,
            anchor=anchor,
            stroke_width=1 if bold else 0,
            stroke_fill=fill,
        )

    def paragraph(self, text, size=18, fill=TEXT, bold=False, gap=10, left=None, width=None):
        left = self.LEFT if left is None else left
        width = self.WIDTH if width is None else width
        for line in wrap(self.draw, text, size, width):
            self.text_line((left, self.y), line, size, fill, bold)
            self.y += int(size * 1.35)
        self.y += gap

    def heading(self, text, size=24):
        self.paragraph(text, size=size, bold=True, gap=12)

    def space(self, pixels):
        self.y += pixels

    def task(self, text, done=False):
        """A to-do card with a check box."""
        top, height = self.y, 56
        self.draw.rounded_rectangle(
            (self.LEFT, top, self.RIGHT, top + height), radius=8, fill=PALE_BLUE, outline=BLUE
        )
        box = (self.LEFT + 14, top + 16, self.LEFT + 38, top + 40)
        if done:
            self.draw.rounded_rectangle(box, radius=4, fill=GREEN)
            self._tick(box, WHITE)
        else:
            self.draw.rounded_rectangle(box, radius=4, fill=WHITE, outline=TEXT, width=2)
        self.text_line((self.LEFT + 52, top + height // 2), text, 18, anchor="lm")
        self.y += height + 10

    def _tick(self, box, colour, width=4):
        x0, y0, x1, y1 = box
        w, h = x1 - x0, y1 - y0
        points = (
            x0 + w * 0.2,
            y0 + h * 0.55,
            x0 + w * 0.42,
            y0 + h * 0.78,
            x0 + w * 0.82,
            y0 + h * 0.25,
        )
        self.draw.line(points, fill=colour, width=width, joint="curve")

    def icon(self, name, cx, cy, colour=WHITE):
        """A small line drawing (about 28 px) centred on cx, cy."""
        draw = self.draw
        if name == "diary":  # a page with lines
            draw.rounded_rectangle(
                (cx - 11, cy - 14, cx + 11, cy + 14), radius=3, outline=colour, width=3
            )
            for dy in (-6, 0, 6):
                draw.line((cx - 5, cy + dy, cx + 5, cy + dy), fill=colour, width=2)
        elif name == "pill":  # a capsule, half filled
            draw.rounded_rectangle(
                (cx - 15, cy - 8, cx + 15, cy + 8), radius=8, outline=colour, width=3
            )
            draw.rounded_rectangle((cx - 15, cy - 8, cx, cy + 8), radius=8, fill=colour)
        elif name == "message":  # a speech bubble
            draw.rounded_rectangle(
                (cx - 15, cy - 12, cx + 15, cy + 8), radius=6, outline=colour, width=3
            )
            draw.polygon(((cx - 8, cy + 7), (cx - 10, cy + 15), (cx, cy + 7)), fill=colour)
        elif name == "heart":
            draw.ellipse((cx - 14, cy - 12, cx + 1, cy + 3), fill=colour)
            draw.ellipse((cx - 1, cy - 12, cx + 14, cy + 3), fill=colour)
            draw.polygon(((cx - 13, cy - 1), (cx + 13, cy - 1), (cx, cy + 14)), fill=colour)
        elif name == "home":
            draw.polygon(((cx - 13, cy - 1), (cx, cy - 13), (cx + 13, cy - 1)), fill=colour)
            draw.rectangle((cx - 9, cy - 1, cx + 9, cy + 12), fill=colour)
        elif name == "help":
            draw.ellipse((cx - 13, cy - 13, cx + 13, cy + 13), outline=colour, width=3)
            draw.text((cx, cy + 1), "?", font=font(18), fill=colour, anchor="mm")

    def tab_bar(self, active):
        """The app's bottom navigation: Home, Diary, Help."""
        top = PHONE_H - 112
        self.draw.line((12, top, PHONE_W - 13, top), fill=BORDER, width=2)
        for index, (name, label) in enumerate(
            [("home", "Home"), ("diary", "Diary"), ("help", "Help")]
        ):
            cx = 70 + index * 110
            colour = BLUE if label == active else GREY
            self.icon(name, cx, top + 26, colour)
            self.text_line((cx, top + 50), label, 15, colour, bold=label == active, anchor="ma")

    def button_grid(self, labels, icons=None):
        """Big square buttons, two to a row."""
        gap = 12
        width = (self.WIDTH - gap) // 2
        height = 92
        for index, label in enumerate(labels):
            row, column = divmod(index, 2)
            x0 = self.LEFT + column * (width + gap)
            y0 = self.y + row * (height + gap)
            self.draw.rounded_rectangle((x0, y0, x0 + width, y0 + height), radius=10, fill=BLUE)
            self.icon(icons[index] if icons else "", x0 + width // 2, y0 + 28)
            self.text_line((x0 + width // 2, y0 + 64), label, 19, WHITE, bold=True, anchor="mm")
        rows = (len(labels) + 1) // 2
        self.y += rows * (height + gap) + 4

    def radio_list(self, labels, selected):
        for index, label in enumerate(labels):
            top, height = self.y, 48
            chosen = index == selected
            self.draw.rounded_rectangle(
                (self.LEFT, top, self.RIGHT, top + height),
                radius=8,
                fill=PALE_BLUE if chosen else WHITE,
                outline=BLUE if chosen else GREY,
                width=3 if chosen else 2,
            )
            cx, cy = self.LEFT + 26, top + height // 2
            self.draw.ellipse(
                (cx - 12, cy - 12, cx + 12, cy + 12), fill=WHITE, outline=TEXT, width=2
            )
            if chosen:
                self.draw.ellipse((cx - 6, cy - 6, cx + 6, cy + 6), fill=TEXT)
            self.text_line((self.LEFT + 50, cy), label, 19, bold=chosen, anchor="lm")
            self.y += height + 8
        self.y += 6

    def textbox(self, label, placeholder, height=72):
        self.paragraph(label, size=17, bold=True, gap=4)
        top = self.y
        self.draw.rectangle(
            (self.LEFT, top, self.RIGHT, top + height), fill=WHITE, outline=GREY, width=2
        )
        self.text_line((self.LEFT + 10, top + 10), placeholder, 16, GREY)
        self.y += height + 14

    def button(self, label, colour=GREEN, outline=False):
        top, height = self.y, 52
        box = (self.LEFT, top, self.RIGHT, top + height)
        if outline:
            self.draw.rounded_rectangle(box, radius=6, fill=WHITE, outline=colour, width=3)
            text_colour = colour
        else:
            self.draw.rounded_rectangle(
                (box[0], box[1] + 4, box[2], box[3] + 4), radius=6, fill=TEXT
            )
            self.draw.rounded_rectangle(box, radius=6, fill=colour)
            text_colour = WHITE
        self.text_line(
            (PHONE_W // 2, top + height // 2), label, 20, text_colour, bold=True, anchor="mm"
        )
        self.y += height + 16

    def alert(self, heading, text):
        """A red-edged box for urgent advice."""
        lines = wrap(self.draw, text, 17, self.WIDTH - 30)
        top = self.y
        height = 44 + len(lines) * 23 + 10
        self.draw.rectangle((self.LEFT, top, self.RIGHT, top + height), fill=PALE_RED)
        self.draw.rectangle((self.LEFT, top, self.LEFT + 8, top + height), fill=RED)
        self.text_line((self.LEFT + 20, top + 12), heading, 20, RED, bold=True)
        for number, line in enumerate(lines):
            self.text_line((self.LEFT + 20, top + 44 + number * 23), line, 17)
        self.y += height + 16

    def medicine(self, name, when, taken):
        top, height = self.y, 64
        self.draw.rounded_rectangle(
            (self.LEFT, top, self.RIGHT, top + height),
            radius=8,
            fill=WHITE,
            outline=BORDER,
            width=2,
        )
        self.text_line((self.LEFT + 14, top + 10), name, 19, bold=True)
        self.text_line((self.LEFT + 14, top + 36), when, 16, GREY)
        cx, cy = self.RIGHT - 30, top + height // 2
        box = (cx - 17, cy - 17, cx + 17, cy + 17)
        if taken:
            self.draw.ellipse(box, fill=GREEN)
            self._tick((cx - 12, cy - 12, cx + 12, cy + 12), WHITE)
        else:
            self.draw.ellipse(box, fill=WHITE, outline=GREY, width=3)
        self.y += height + 10

    def progress(self, step, steps):
        self.paragraph(f"Question {step} of {steps}", size=16, fill=GREY, gap=2)
        top = self.y
        self.draw.rounded_rectangle((self.LEFT, top, self.RIGHT, top + 10), radius=5, fill=BORDER)
        self.draw.rounded_rectangle(
            (self.LEFT, top, self.LEFT + self.WIDTH * step // steps, top + 10), radius=5, fill=BLUE
        )
        self.y += 28

    def faces(self, selected):
        """Five faces from very sad to very happy, one picked."""
        size, gap = 50, (self.WIDTH - 5 * 50) // 4
        top = self.y
        for index in range(5):
            x0 = self.LEFT + index * (size + gap)
            box = (x0, top, x0 + size, top + size)
            chosen = index == selected
            self.draw.ellipse(
                box,
                fill=YELLOW if chosen else PALE_GREY,
                outline=TEXT if chosen else GREY,
                width=3 if chosen else 2,
            )
            # eyes
            self.draw.ellipse((x0 + 15, top + 16, x0 + 21, top + 22), fill=TEXT)
            self.draw.ellipse((x0 + 29, top + 16, x0 + 35, top + 22), fill=TEXT)
            # mouth: big frown (0), frown, straight, smile, big smile (4)
            mouth = [
                (x0 + 14, top + 33, x0 + 36, top + 49, 200, 340),
                (x0 + 15, top + 35, x0 + 35, top + 45, 205, 335),
                None,
                (x0 + 15, top + 27, x0 + 35, top + 37, 25, 155),
                (x0 + 14, top + 23, x0 + 36, top + 39, 20, 160),
            ][index]
            if mouth is None:
                self.draw.line((x0 + 15, top + 35, x0 + 35, top + 35), fill=TEXT, width=3)
            else:
                self.draw.arc(mouth[:4], start=mouth[4], end=mouth[5], fill=TEXT, width=3)
        self.y += size + 8
        self.text_line((self.LEFT, self.y), "Very badly", 15, GREY)
        self.text_line((self.RIGHT, self.y), "Very well", 15, GREY, anchor="ra")
        self.y += 34

    def png(self) -> bytes:
        return to_png(self.image)


# --- the five screens of the demo prototype -------------------------------------------------
def screen_today() -> bytes:
    screen = PhoneScreen("Today", back=False)
    screen.heading("Good morning, Sam")
    screen.paragraph("Things to do today", size=17, fill=GREY, gap=8)
    screen.task("Fill in your diary")
    screen.task("Take 8am medicine", done=True)
    screen.space(10)
    screen.button_grid(
        ["Diary", "Medicines", "Contact", "Check-in"], icons=["diary", "pill", "message", "heart"]
    )
    screen.tab_bar("Home")
    return screen.png()


def screen_diary() -> bytes:
    screen = PhoneScreen("Symptom diary")
    screen.heading("How tired are you today?", size=22)
    screen.radio_list(["None", "Mild", "Moderate", "Severe"], selected=2)
    screen.textbox("Notes (optional)", "Tell us in your own words")
    screen.button("Save")
    screen.tab_bar("Diary")
    return screen.png()


def screen_medicines() -> bytes:
    screen = PhoneScreen("Medicines")
    screen.paragraph("Tick each one when you have taken it.", size=17, gap=12)
    screen.medicine("Antiviral tablet", "8am and 8pm", taken=True)
    screen.medicine("Antibiotic tablet", "8am on Mon, Wed, Fri", taken=False)
    screen.medicine("Vitamin D", "With lunch", taken=False)
    screen.space(6)
    screen.button("Add a reminder", colour=BLUE, outline=True)
    screen.tab_bar("Home")
    return screen.png()


def screen_contact() -> bytes:
    screen = PhoneScreen("Contact my team")
    screen.alert("Feeling very unwell?", "Call your CAR-T team now, day or night. Do not wait.")
    screen.button("Call the CAR-T team", colour=RED)
    screen.button("Send a message", colour=BLUE)
    screen.paragraph("We answer messages in 1 working day.", size=16, fill=GREY)
    screen.tab_bar("Help")
    return screen.png()


def screen_checkin() -> bytes:
    screen = PhoneScreen("Check-in")
    screen.progress(1, 5)
    screen.heading("How well did you sleep this week?", size=22)
    screen.faces(selected=3)
    screen.button("Next")
    screen.button("Stop and finish later", colour=BLUE, outline=True)
    screen.tab_bar("Home")
    return screen.png()


SCREENS: dict[str, Callable[[], bytes]] = {
    "today": screen_today,
    "diary": screen_diary,
    "medicines": screen_medicines,
    "contact": screen_contact,
    "checkin": screen_checkin,
}


def draw_screen(key: str) -> bytes:
    return SCREENS[key]()


# --- home page and news pictures ------------------------------------------------------------
def _bubble(draw, box, text, tail_y):
    x0, y0, x1, y1 = box
    draw.polygon(((x0 + 2, tail_y - 10), (x0 - 22, tail_y + 6), (x0 + 2, tail_y + 10)), fill=BLUE)
    draw.rounded_rectangle(box, radius=18, fill=WHITE, outline=BLUE, width=4)
    lines = wrap(draw, text, 22, x1 - x0 - 30)
    line_h = 28
    y = (y0 + y1) // 2 - (len(lines) * line_h) // 2
    for line in lines:
        draw.text(((x0 + x1) // 2, y), line, font=font(22), fill=TEXT, anchor="ma")
        y += line_h


def draw_hero() -> bytes:
    """A phone showing the app, and speech bubbles with what patients said about it."""
    size = 480
    image = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size - 10, size - 10), fill=PALE_BLUE)
    phone = PILImage.open(BytesIO(screen_today())).resize((190, 380), PILImage.LANCZOS)
    image.alpha_composite(phone, (40, 50))
    for index, text in enumerate(["Bigger text, please", "I like the diary", "Easy to use"]):
        top = 90 + index * 110
        _bubble(draw, (262, top, 452, top + 80), text, top + 40)
    return to_png(image)


def _qr_like(draw, x, y, cell, seed=b"ppie-hub-demo"):
    """A QR-code-like pattern (decoration only: it does not scan)."""
    cells = 21
    bits = "".join(f"{byte:08b}" for byte in hashlib.sha256(seed).digest() * 2)
    draw.rectangle((x - cell, y - cell, x + (cells + 1) * cell, y + (cells + 1) * cell), fill=WHITE)
    for row in range(cells):
        for column in range(cells):
            if bits[(row * cells + column) % len(bits)] == "1":
                draw.rectangle(
                    (
                        x + column * cell,
                        y + row * cell,
                        x + (column + 1) * cell - 1,
                        y + (row + 1) * cell - 1,
                    ),
                    fill=TEXT,
                )
    for fx, fy in ((0, 0), (cells - 7, 0), (0, cells - 7)):
        ox, oy = x + fx * cell, y + fy * cell
        draw.rectangle((ox, oy, ox + 7 * cell - 1, oy + 7 * cell - 1), fill=TEXT)
        draw.rectangle((ox + cell, oy + cell, ox + 6 * cell - 1, oy + 6 * cell - 1), fill=WHITE)
        draw.rectangle(
            (ox + 2 * cell, oy + 2 * cell, ox + 5 * cell - 1, oy + 5 * cell - 1), fill=TEXT
        )


def _person(draw, x, y, body_colour, phone=False):
    draw.ellipse((x - 22, y, x + 22, y + 44), fill="#c68642")
    draw.rounded_rectangle((x - 38, y + 52, x + 38, y + 190), radius=30, fill=body_colour)
    if phone:
        draw.rounded_rectangle((x + 14, y + 80, x + 34, y + 116), radius=4, fill=FRAME)
        draw.rectangle((x + 17, y + 85, x + 31, y + 110), fill=PALE_BLUE)


def draw_stand() -> bytes:
    """The team's stand at the regional CAR-T event: banner, table, tablet and a join sign."""
    width, height = 800, 450
    image = PILImage.new("RGB", (width, height), PALE_BLUE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, width, height), fill=BORDER)  # floor
    # Banner.
    draw.rectangle((150, 36, 650, 126), fill=BLUE)
    draw.text(
        (400, 64),
        "PRO-CAR-T patient app",
        font=font(34),
        fill=WHITE,
        anchor="mm",
        stroke_width=1,
        stroke_fill=WHITE,
    )
    draw.text((400, 104), "Help us design it", font=font(26), fill=WHITE, anchor="mm")
    # Table with a cloth.
    draw.rectangle((170, 262, 630, 400), fill=DARK_BLUE)
    draw.rectangle((160, 252, 640, 270), fill=BLUE)
    draw.text(
        (400, 336),
        "PPIE Hub",
        font=font(30),
        fill=WHITE,
        anchor="mm",
        stroke_width=1,
        stroke_fill=WHITE,
    )
    # Tablet on a stand, showing the app.
    draw.polygon(((300, 252), (330, 236), (350, 252)), fill=GREY)
    draw.rounded_rectangle((250, 150, 390, 244), radius=10, fill=FRAME)
    draw.rectangle((260, 160, 380, 234), fill=WHITE)
    draw.rectangle((260, 160, 380, 176), fill=BLUE)
    for row in range(2):
        for column in range(2):
            draw.rounded_rectangle(
                (266 + column * 58, 184 + row * 25, 318 + column * 58, 204 + row * 25),
                radius=3,
                fill=BLUE,
            )
    # Leaflets.
    for offset in range(3):
        draw.rectangle(
            (190 + offset * 8, 226 - offset * 4, 230 + offset * 8, 252 - offset * 4),
            fill=WHITE,
            outline=GREY,
        )
    # "Scan to join" sign with a QR-like pattern.
    draw.rectangle((470, 140, 600, 250), fill=WHITE, outline=GREY, width=2)
    draw.text(
        (535, 156),
        "Scan to join",
        font=font(18),
        fill=TEXT,
        anchor="mm",
        stroke_width=1,
        stroke_fill=TEXT,
    )
    _qr_like(draw, 504, 172, 3)
    # Two visitors.
    _person(draw, 90, 190, GREEN, phone=True)
    _person(draw, 710, 190, "#7c2855")
    return to_png(image)


def draw_screens_banner() -> bytes:
    """Three screens of the app side by side, for news about a new version."""
    width, height = 800, 450
    image = PILImage.new("RGBA", (width, height), PALE_BLUE)
    for index, key in enumerate(["diary", "medicines", "checkin"]):
        phone = PILImage.open(BytesIO(draw_screen(key))).resize((195, 390), PILImage.LANCZOS)
        image.alpha_composite(phone, (90 + index * 220, 30))
    return to_png(image.convert("RGB"))


# --- storing them in Wagtail ----------------------------------------------------------------
def get_or_create_image(title: str, filename: str, draw: Callable[[], bytes]):
    """The Wagtail image with this title; drawn and stored only if there is none yet."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).order_by("pk").first()
    if existing is not None:
        return existing
    image = image_model(title=title, file=ImageFile(BytesIO(draw()), name=filename))
    image._set_image_file_metadata()
    image.save()
    return image
