"""Spreadsheet exports that cannot run formulas when opened, with the one formula guard.

Wagtail's XLSX export already writes every cell as a value (a cell starting with "=" is text,
not a formula), so XLSX cells are left exactly as they are: "+44 7700 900123" stays a phone
number. Only CSV, which has no types, needs the guard."""

from wagtail.admin.views.generic import IndexView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that a spreadsheet would take for a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """For views with Wagtail's SpreadsheetExportMixin: every CSV cell neutralised."""

    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(writer, {k: neutralise(v) for k, v in row_dict.items()})


class SafeExportIndexView(FormulaSafeExportMixin, IndexView):
    """Wagtail's listing with CSV/XLSX export, safe to open in a spreadsheet."""
