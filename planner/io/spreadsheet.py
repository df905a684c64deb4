"""Tables as CSV and XLSX files, every text cell (headers too) neutralised so none runs as a formula."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from planner.core.cells import neutralise_cell


def _safe(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for col in out.columns:
        out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV, LF line ends, no index."""
    buf = io.StringIO()
    _safe(table).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame], title: str = "") -> bytes:
    """One workbook, a sheet per table, with a bold, frozen header row and readable widths."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, table in sheets.items():
        sheet = book.create_sheet(neutralise_cell(name[:31]))
        safe = _safe(table)
        sheet.append(list(safe.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in safe.itertuples(index=False):
            sheet.append([None if pd.isna(v) else v for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value if c.value is not None else "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
    if title:
        book.properties.title = neutralise_cell(title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
