"""File formats: parse what comes in (roster CSV, SignUpGenius, Google Forms) and format what goes out
(roster CSV, spreadsheets, printable schedule, calendars). No database, no Streamlit."""
