"""Storage: SQLAlchemy 2 over SQLite (default) or PostgreSQL (`DATABASE_URL`). All SQL lives here.

Every repository function takes an open `Session` first and speaks in
`planner.core` objects, never ORM rows, so callers may keep results after the
session closes. The caller's `session()` block commits (or rolls back on an
exception). `actor` is the signed-in username, written to the audit log.
Use cases that combine these (publish and its notices, cancel, imports) are
in `planner.services`.

    db            engine per process, session() per unit of work, SQLite locking
    migrate       Alembic upgrades, each backed up first when the database holds data
    backup        JSON dump / SQLite copy, sealed with a SHA-256; restore in one transaction
    models        the ORM tables
    roster        volunteers, availability, time off, preferences; erasure
    settings      the center's settings (one row)
    plans         weeks, drafts, published versions, pins
    cancellations the gaps volunteers leave
    attendance    check-ins and corrections
    history       past slots, attendance and cancellations as a core History
    notifications the outgoing message queue
    accounts      sign-in accounts
    sessions      browser sessions, sign-in tickets and emailed links (hashes only)
    invitations   invitations to make an account (hashes only)
    audit         the audit log

Edits of volunteers, settings and drafts are optimistically locked
(`expected_version`; `planner.core.errors.StaleEdit` names what changed).
"""
