"""StreamField blocks shared by every page type that has a body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Level 2")), ("h3", _("Level 3"))], default="h2", label=_("Level")
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A section heading. Use level 2 for main sections.")
        preview_value = {"text": "How the study works", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")
        description = _("An image with required alternative text and an optional caption.")


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Important"))],
        default="info",
        label=_("Style"),
    )
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        label = _("Call-out")
        description = _("A highlighted box for something readers must not miss.")
        preview_value = {
            "style": "info",
            "heading": "You can stop at any time",
            "text": "<p>You do not have to give a reason.</p>",
        }


class AccordionItemBlock(blocks.StructBlock):
    summary = blocks.CharBlock(label=_("Summary"), max_length=200)
    content = blocks.RichTextBlock(
        label=_("Content"), features=["bold", "italic", "link", "ul", "ol"]
    )


class AccordionBlock(blocks.StructBlock):
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Sections"))

    class Meta:
        icon = "list-ul"
        template = "blocks/accordion_block.html"
        label = _("Expandable sections")
        description = _("Sections that open when clicked. They work without JavaScript.")


class VideoEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("Video or embed URL"), max_width=800)
    title = blocks.CharBlock(
        label=_("Title"), max_length=200, help_text=_("Says what the embedded content is.")
    )

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"
        label = _("Embed")
        description = _("A video or other embedded content from an allowed provider.")


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ul", "ol"],
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock()
    callout = CalloutBlock()
    accordion = AccordionBlock()
    embed = VideoEmbedBlock()


class FooterLinkBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or URL"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")
