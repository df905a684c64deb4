"""File formats the center exchanges with spreadsheets: the roster CSV, safe cells."""
