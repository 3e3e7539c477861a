"""Receipts members upload: accepted only when the whole file is a PDF, PNG or JPEG within the
size limit, and stored under a generated name (the uploaded name is never used: it can carry a
path, personal details or a misleading extension)."""

import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import IndirectObject

NOT_A_RECEIPT = _("Upload a photo (JPEG or PNG) or a PDF of the receipt.")
DAMAGED = _(
    "This file could not be opened: it may be damaged or only partly uploaded. "
    "Please take the photo or save the PDF again and upload that."
)
LOCKED = _("This PDF is protected by a password. Please upload one without a password.")

# What a file starts with, and the extension it is stored under.
SIGNATURES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


def _extension(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return next((ext for magic, ext in SIGNATURES.items() if head.startswith(magic)), None)


def _check_image(upload, expected_format: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format != expected_format:
                    raise ValidationError(NOT_A_RECEIPT, code="type")
                image.verify()  # the structure, and PNG's checksums
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # every pixel decodes: a cut-off photo fails here
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds (OSError, SyntaxError, ValueError...)
        raise ValidationError(DAMAGED, code="damaged") from error
    finally:
        upload.seek(0)


def _check_pdf(upload) -> None:
    try:
        reader = PdfReader(upload, strict=True)
        if reader.is_encrypted:
            raise ValidationError(LOCKED, code="locked")
        if len(reader.pages) == 0:
            raise ValidationError(DAMAGED, code="damaged")
        for generation, objects in reader.xref.items():
            for number in objects:
                reader.get_object(IndirectObject(number, generation, reader))
    except ValidationError:
        raise
    except Exception as error:  # pypdf raises PdfReadError and many others on a broken file
        raise ValidationError(DAMAGED, code="damaged") from error
    finally:
        upload.seek(0)


def validate_receipt(upload) -> None:
    if upload.size > settings.RECEIPT_MAX_BYTES:
        raise ValidationError(
            _("The receipt is too big. Please upload a file of %(size)s or less.")
            % {"size": filesizeformat(settings.RECEIPT_MAX_BYTES)},
            code="size",
        )
    extension = _extension(upload)
    if extension is None:
        raise ValidationError(NOT_A_RECEIPT, code="type")
    if extension == "pdf":
        _check_pdf(upload)
    else:
        _check_image(upload, "PNG" if extension == "png" else "JPEG")


def receipt_path(instance, filename: str) -> str:
    """receipts/<year>/<month>/<random>.<pdf|png|jpg>: the extension from what the file is."""
    try:
        extension = _extension(instance.receipt.file)  # an upload being saved (validated)
    except ValueError:  # saved from code (FieldFile.save): only the name is known here
        extension = None
    if extension is None:
        suffix = filename.rsplit(".", 1)[-1].lower()
        extension = {"jpeg": "jpg"}.get(suffix, suffix)
        if extension not in SIGNATURES.values():
            extension = "bin"
    return f"receipts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
