"""Storage: SQLAlchemy 2 over SQLite (default) or PostgreSQL (`DATABASE_URL`).

Every repository function takes an open `Session` first and speaks in
`planner.domain` / `planner.problem` objects, never ORM rows, so callers may
keep results after the session closes. The caller's `session()` block
commits (or rolls back on an exception). `actor` is the signed-in username,
written to the audit log.

API summary (stable names):

    planner.store.db
        database_url(url=None) -> str; get_engine(url=None) -> Engine
        session(url=None) -> ContextManager[Session]     # one unit of work
        migrate(url=None, revision="head"); downgrade(url=None, revision="base")   # backs up first
        dispose_engine(url=None)
        DatabaseBusy   # still locked after retries: nothing saved; pages show its message
        StaleEdit      # saved by someone else since read (.changes, .current, .yours)
    planner.store.backup
        backup / restore (JSON dump of every table; SQLite online backup to a file)
    planner.auth                                          # no Streamlit
        authenticate(username, password, *, db=None, now=None) -> LoginResult(.ok, .account, .locked_until)
        create_user(username, password, role, volunteer_id=None, *, db=None, actor=None,
                    allow_weak=False) -> Account
        set_password(username, password, *, db=None, actor=None)
        MAX_FAILURES = 5, LOCK_TIME = 15 min; errors raise AccountError (a ValueError)
    planner.store.accounts
        Account(id, username, role, volunteer_id); get_account(db, username); list_accounts(db)
        set_role(db, username, role, volunteer_id=None); unlock(db, username); delete_account(db, username)
    planner.store.settings                                 # raises SettingsError(.messages)
        load_settings(db) -> CenterSettings; load_for_edit(db) -> (CenterSettings, version)
        save_settings(db, settings, actor=None, *, expected_version=None)
    planner.store.roster                                   # raises RosterError(.messages)
        list_volunteers(db, *, active_only=False) -> list[VolunteerRecord]   # erased ones left out
        get_volunteer(db, volunteer_id) -> VolunteerRecord | None
        add_volunteer(db, record, actor=None) -> VolunteerRecord
        get_for_edit(db, volunteer_id) / list_for_edit(db) -> record(s) with their version
        update_volunteer(db, record, actor=None, *, expected_version=None) -> VolunteerRecord
        set_availability(db, volunteer_id, windows, actor=None)
        add_exception(db, volunteer_id, exception, actor=None) -> DatedException
        remove_exception(db, volunteer_id, exception_id, actor=None)
        set_preferences(db, volunteer_id, preferences, actor=None)
        erase_volunteer(db, volunteer_id, actor=None)   # personal data gone, history kept
    planner.store.plans                                    # raises PlanError
        save_draft(db, week_start, assignments, *, status="", unfilled=None, below_target=None,
                   actor=None) -> PlanVersion
        get_draft(db, week_start); discard_draft(db, week_start, actor=None)
        publish_draft(db, week_start, actor=None, *, key=None, expected_version=None) -> PlanVersion
            # immutable, numbered 1, 2, ...; a repeated `key` returns the same version
        latest_published(db, week_start) -> PlanVersion | None; list_versions(db, week_start)
        assignments_of(db, volunteer_id, from_day) -> list[Assignment]   # latest published, by slot
        list_pins(db, week_start) -> list[Assignment]; add_pin / remove_pin(db, week_start, pin, actor=None)
        publish_assignments(db, week_start, assignments, *, based_on, status="edited", unfilled=None,
                            below_target=None, actor=None, why="") -> PlanVersion   # draft left alone
    planner.store.cancellations                            # raises plans.PlanError
        cancel(db, week_start, slot_id, volunteer_id, reason="", actor=None) -> Gap
            # volunteer_id: 7 or "v07"; publishes a version without them, adds time off for the slot
        open_gaps(db, week_start) -> list[Gap]; list_cancellations(db, week_start) -> list[Gap]
        resolve_gap(db, gap_id, "replaced" | "replanned" | "dismissed", *, replacement=None, actor=None)
    planner.store.notifications, planner.store.attendance   # email queue; check-ins (see planner.notify,
                                                            # planner.checkin, planner.reports)
    planner.store.audit
        record(db, actor, action, target="", detail=""); recent(db, limit=200, action=None)
    planner.weekbuild.build_problem(db, week_start) -> planner.problem.Problem
    planner.io.roster_csv
        parse_roster(text_or_bytes) -> list[(row number, VolunteerRecord)]   # no database
        import_roster(db, text_or_bytes, actor=None) -> ImportResult(added, updated)  # all or none
        export_roster(db, actor=None) -> str
    planner.io.safe_cells.neutralise(value) -> str; restore(value) -> str
    planner.demo.seed_demo(db, today=None); seed_if_demo(db) -> bool   # PLANNER_DEMO=1 and empty only
    planner.store.cli.register(subparsers)   # init-db, import/export-roster, create-user, backup, restore

Volunteers appear in problems and plans as `planner.domain.volunteer_key(id)` (`v07`);
slot ids are `2026-12-04-am`, `2026-12-04-pm`, `2026-12-04-dinner`.
"""
