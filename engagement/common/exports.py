"""Spreadsheet exports, built on Wagtail's SpreadsheetExportMixin, with the one formula guard.

CSV: every cell that a spreadsheet would take for a formula (=, +, -, @, tab, CR at the start)
gets an apostrophe. XLSX: Wagtail writes every cell as a value (a cell starting with "=" is
text, not a formula), so cells are left exactly as typed ("+44 7700 900123" stays a phone
number); and each workbook says what it is: a named sheet opening with a title row (what,
which consultation, when exported, which filters), the column headings, the rows, the totals
where they add up, and a "Notes" sheet explaining each computed column."""

from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import IndexView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_MAX = 31  # Excel's limit
FORBIDDEN_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def neutralise(value):
    """Prefix text that a spreadsheet would take for a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_collection(value) -> bool:
    return hasattr(value, "__iter__") and not isinstance(value, str | bytes)


def sheet_name(title: str) -> str:
    return str(title).translate(FORBIDDEN_IN_SHEET_NAMES).strip()[:SHEET_NAME_MAX] or "Export"


class FormulaSafeExportMixin:
    """For views with Wagtail's SpreadsheetExportMixin: CSV cells neutralised; XLSX with a
    title row, named sheet, totals and notes. Views set `export_title` (or override
    `get_export_title()`), `export_notes` ({column: explanation}) and, where sums mean
    something, `export_total_fields`."""

    export_title = ""
    export_sheet = ""  # the data sheet's name; defaults to the title
    export_notes: dict = {}
    export_total_fields: list[str] = []

    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(writer, {k: neutralise(v) for k, v in row_dict.items()})

    def get_export_title(self) -> str:
        return str(self.export_title or self.get_filename())

    def get_export_filters(self) -> list[str]:
        """The filters this export was made with, in words: from a Wagtail filter form when the
        view has one, else nothing."""
        filters = getattr(self, "filters", None)
        form = getattr(filters, "form", None)
        if form is None or not form.is_bound or not form.is_valid():
            return []
        described = []
        for name, value in form.cleaned_data.items():
            if value is None or value == "" or (_is_collection(value) and not len(value)):
                continue
            field = form.fields[name]
            described.append(f"{field.label}: {self._describe(field, value)}")
        return described

    @staticmethod
    def _describe(field, value) -> str:
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(value, slice):  # a date range filter
            start = date_format(value.start, "j M Y") if value.start else _("any date")
            stop = date_format(value.stop, "j M Y") if value.stop else _("any date")
            return _("from %(a)s to %(b)s") % {"a": start, "b": stop}
        if _is_collection(value):
            return ", ".join(str(choices.get(v, v)) for v in value)
        return str(choices.get(value, value))

    def get_export_totals(self, rows: list[dict]) -> dict:
        """{field: total} over the exported rows, for `export_total_fields`."""
        totals = {}
        for name in self.export_total_fields:
            values = [r.get(name) for r in rows]
            totals[name] = sum(
                (v for v in values if isinstance(v, int | Decimal) and not isinstance(v, bool)),
                start=Decimal(0),
            )
        return totals

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from wagtail.admin.views.mixins import ExcelDateFormatter

        workbook = Workbook(write_only=True, iso_dates=True)
        title = self.get_export_title()
        sheet = workbook.create_sheet(title=sheet_name(self.export_sheet or title))

        def bold(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = Font(bold=True)
            return cell

        sheet.append([bold(title)])
        exported = date_format(timezone.localtime(), "j F Y, H:i")
        sheet.append([_("Exported %(when)s") % {"when": exported}])
        filters = self.get_export_filters()
        sheet.append(
            [_("Filters: %(f)s") % {"f": "; ".join(filters)} if filters else _("No filters")]
        )
        sheet.append([])
        headings = [self.get_heading(queryset, field) for field in self.list_export]
        sheet.append([bold(str(h)) for h in headings])
        date_style = ExcelDateFormatter().get()
        rows = []
        for item in queryset:
            row = self.to_row_dict(item)
            rows.append(row)
            sheet.append(self.generate_xlsx_row(sheet, row, date_format=date_style))
        if self.export_total_fields and rows:
            totals = self.get_export_totals(rows)
            sheet.append(
                [
                    bold(_("Total")) if i == 0 else totals.get(field, "")
                    for i, field in enumerate(self.list_export)
                ]
            )
        notes = workbook.create_sheet(title=_("Notes"))
        notes.append([bold(_("Column")), bold(_("What it means"))])
        for field, heading in zip(self.list_export, headings, strict=True):
            note = self.export_notes.get(field)
            if note:
                notes.append([str(heading), str(note)])
        if not self.export_notes:
            notes.append([_("Every column is as recorded; none is computed.")])
        workbook.save(output)


class SafeExportIndexView(FormulaSafeExportMixin, IndexView):
    """Wagtail's listing with CSV/XLSX export, safe to open in a spreadsheet."""

    def get_export_title(self) -> str:
        return str(self.export_title or self.model._meta.verbose_name_plural).capitalize()
