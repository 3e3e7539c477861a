"""Reading the project's exports as a person opening them would (engagement.common.exports):
XLSX: a named sheet with a title row, the export date, the filters, an empty row, the headings,
the rows and, where sums mean something, a "Total" row; a "Notes" sheet. CSV: headings, rows."""

import csv
import io

import openpyxl


def content_of(response) -> bytes:
    """The file's bytes (a streamed response can be read once: kept for the next look)."""
    if not hasattr(response, "_export_bytes"):
        response._export_bytes = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    return response._export_bytes


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(content_of(response)))


def xlsx_sheet_rows(response, sheet: str | None = None) -> list[tuple]:
    book = workbook(response)
    return list((book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True))


def xlsx_title(response, sheet: str | None = None) -> list[str]:
    """The lines above the table: title, export date, filters."""
    lines = []
    for row in xlsx_sheet_rows(response, sheet):
        if not any(cell is not None for cell in row):
            break
        lines.append(row[0])
    return lines


def xlsx_table(response, sheet: str | None = None) -> list[dict]:
    """The data rows by heading (the "Total" row left out: see xlsx_totals)."""
    rows = xlsx_sheet_rows(response, sheet)
    start = next(i for i, row in enumerate(rows) if not any(c is not None for c in row)) + 1
    header, *data = rows[start:]
    return [dict(zip(header, row, strict=False)) for row in data if row[0] != "Total"]


def xlsx_totals(response, sheet: str | None = None) -> dict:
    rows = xlsx_sheet_rows(response, sheet)
    start = next(i for i, row in enumerate(rows) if not any(c is not None for c in row)) + 1
    header = rows[start]
    total = next((row for row in rows[start + 1 :] if row[0] == "Total"), None)
    return dict(zip(header, total, strict=False)) if total else {}


def xlsx_notes(response) -> dict:
    book = workbook(response)
    rows = list(book["Notes"].iter_rows(values_only=True))[1:]
    return {row[0]: row[1] for row in rows if len(row) > 1}


def csv_table(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content_of(response).decode("utf-8"))))
