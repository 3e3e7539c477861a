"""QR codes for campaigns: the address a poster prints, as SVG or PNG."""

import io

import segno
from django.urls import reverse

from cms.site_url import absolute


def campaign_url(campaign) -> str:
    """The short public address a poster prints and its QR code opens."""
    return absolute(reverse("engagement:join_campaign", kwargs={"code": campaign.code}))


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=4, xmldecl=False)
    return buffer.getvalue()


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=16, border=4)
    return buffer.getvalue()
