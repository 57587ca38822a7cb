import Foundation
import Logging
import SQLKit
import XunchaCore

/// One schema change. Statements are written once; `{{C}}` marks where PostgreSQL needs the
/// binary collation that SQLite uses anyway, so both engines sort and page identically.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var statements: [String]
    /// Statements for one engine only, run after the shared ones (full-text indexes differ).
    public var sqliteOnly: [String]
    public var postgresOnly: [String]

    public init(version: Int, name: String, statements: [String], sqliteOnly: [String] = [], postgresOnly: [String] = []) {
        self.version = version
        self.name = name
        self.statements = statements
        self.sqliteOnly = sqliteOnly
        self.postgresOnly = postgresOnly
    }

    /// The statements exactly as they run on `engine`, in order (what `releasedMigrationsAreNeverEdited` pins).
    public func sql(for engine: DatabaseEngine) -> [String] {
        (statements + (engine == .postgres ? postgresOnly : sqliteOnly))
            .map { $0.replacingOccurrences(of: "{{C}}", with: engine == .postgres ? " COLLATE \"C\"" : "") }
    }
}

/// The ordered list of migrations. Append only: a released migration is never edited.
public enum Migrations {
    public static let all: [Migration] = [
        Migration(
            version: 1, name: "jurisdictions, units, users, sessions, audit log",
            statements: [
                """
                CREATE TABLE jurisdictions (
                    id TEXT PRIMARY KEY,
                    parent_id TEXT REFERENCES jurisdictions(id),
                    path TEXT{{C}} NOT NULL UNIQUE,
                    name TEXT{{C}} NOT NULL,
                    level TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX jurisdictions_sibling_name ON jurisdictions (parent_id, name)",
                """
                CREATE TABLE units (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    name TEXT{{C}} NOT NULL,
                    unit_type TEXT NOT NULL,
                    party_organisation TEXT NOT NULL,
                    parent_unit_id TEXT REFERENCES units(id),
                    head_name TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX units_jurisdiction_name ON units (jurisdiction_id, name)",
                "CREATE INDEX units_jurisdiction_type_name ON units (jurisdiction_id, unit_type, name, id)",
                "CREATE INDEX units_jurisdiction_created ON units (jurisdiction_id, created_at, id)",
                """
                CREATE TABLE users (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    username TEXT{{C}} NOT NULL UNIQUE,
                    display_name TEXT{{C}} NOT NULL,
                    roles TEXT NOT NULL,
                    unit_id TEXT REFERENCES units(id),
                    password_hash TEXT NOT NULL,
                    must_change_password BIGINT NOT NULL,
                    failed_sign_ins BIGINT NOT NULL,
                    locked_until BIGINT,
                    disabled BIGINT NOT NULL,
                    password_changed_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX users_jurisdiction_username ON users (jurisdiction_id, username)",
                """
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users(id),
                    kind TEXT NOT NULL,
                    csrf_token TEXT NOT NULL,
                    client_address TEXT,
                    created_at BIGINT NOT NULL,
                    last_seen_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )
                """,
                "CREATE INDEX sessions_user ON sessions (user_id)",
                "CREATE INDEX sessions_expires ON sessions (expires_at)",
                """
                CREATE TABLE audit_entries (
                    seq BIGINT PRIMARY KEY,
                    at BIGINT NOT NULL,
                    jurisdiction_id TEXT,
                    actor_id TEXT,
                    actor_name TEXT NOT NULL,
                    client_address TEXT,
                    action TEXT NOT NULL,
                    target_type TEXT,
                    target_id TEXT,
                    detail TEXT,
                    before_digest TEXT,
                    after_digest TEXT,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                )
                """,
                "CREATE INDEX audit_entries_jurisdiction_seq ON audit_entries (jurisdiction_id, seq)",
                "CREATE INDEX audit_entries_target ON audit_entries (target_id, seq)",
                "CREATE INDEX audit_entries_action_seq ON audit_entries (action, seq)",
                // The head of the chain: the last sequence number and hash. Kept apart so deleting the
                // newest entries is caught too, and so PostgreSQL writers can lock it to stay in order.
                "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
                "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
            ]),
        Migration(
            version: 2, name: "rounds, batches, round history, inspector pools",
            statements: [
                """
                CREATE TABLE rounds (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    term TEXT{{C}} NOT NULL,
                    sequence BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    theme TEXT,
                    planned_start TEXT NOT NULL,
                    planned_end TEXT NOT NULL,
                    status TEXT NOT NULL,
                    max_units_per_group BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX rounds_term_sequence ON rounds (jurisdiction_id, term, sequence)",
                "CREATE INDEX rounds_jurisdiction_start ON rounds (jurisdiction_id, planned_start, id)",
                // Every step a round takes, appended, never rewritten: who, when, which step, with what note.
                """
                CREATE TABLE round_steps (
                    jurisdiction_id TEXT NOT NULL,
                    id TEXT PRIMARY KEY,
                    round_id TEXT NOT NULL REFERENCES rounds(id),
                    step TEXT NOT NULL,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    note TEXT,
                    actor_id TEXT,
                    actor_name TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX round_steps_round ON round_steps (round_id, at)",
                """
                CREATE TABLE batches (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    round_id TEXT NOT NULL REFERENCES rounds(id),
                    sequence BIGINT NOT NULL,
                    entry_date TEXT NOT NULL,
                    exit_date TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX batches_round_sequence ON batches (round_id, sequence)",
                """
                CREATE TABLE inspectors (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    name TEXT{{C}} NOT NULL,
                    home_unit_id TEXT REFERENCES units(id),
                    home_unit_name TEXT NOT NULL,
                    post TEXT,
                    category TEXT NOT NULL,
                    rank TEXT,
                    in_leader_pool BIGINT NOT NULL,
                    in_talent_pool BIGINT NOT NULL,
                    available BIGINT NOT NULL,
                    skills TEXT NOT NULL,
                    work_history TEXT NOT NULL,
                    relations TEXT NOT NULL,
                    training TEXT,
                    evaluation TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX inspectors_jurisdiction_name ON inspectors (jurisdiction_id, name, id)",
                "CREATE INDEX inspectors_jurisdiction_category ON inspectors (jurisdiction_id, category, name, id)",
            ]),
        Migration(
            version: 3, name: "inspection groups, members, assignments, conflict declarations and overrides",
            statements: [
                """
                CREATE TABLE inspection_groups (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    round_id TEXT NOT NULL REFERENCES rounds(id),
                    name TEXT{{C}} NOT NULL,
                    authorisation TEXT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX inspection_groups_round_name ON inspection_groups (round_id, name)",
                """
                CREATE TABLE group_members (
                    jurisdiction_id TEXT NOT NULL,
                    group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                    inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                    role TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (group_id, inspector_id)
                )
                """,
                "CREATE INDEX group_members_inspector ON group_members (inspector_id)",
                """
                CREATE TABLE assignments (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    round_id TEXT NOT NULL REFERENCES rounds(id),
                    batch_id TEXT NOT NULL REFERENCES batches(id),
                    group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    status TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX assignments_batch_unit ON assignments (batch_id, unit_id)",
                "CREATE INDEX assignments_group_batch ON assignments (group_id, batch_id)",
                "CREATE INDEX assignments_round_unit ON assignments (round_id, unit_id)",
                """
                CREATE TABLE conflict_declarations (
                    jurisdiction_id TEXT NOT NULL,
                    id TEXT PRIMARY KEY,
                    inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    kind TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    declared_by TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX conflict_declarations_unit ON conflict_declarations (unit_id, inspector_id)",
                // A conflict the office accepted anyway, with the written reason: kept, never edited.
                """
                CREATE TABLE conflict_overrides (
                    jurisdiction_id TEXT NOT NULL,
                    id TEXT PRIMARY KEY,
                    inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    round_id TEXT NOT NULL REFERENCES rounds(id),
                    kinds TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    decided_by TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX conflict_overrides_round ON conflict_overrides (round_id, unit_id, inspector_id)",
            ]),
        Migration(
            version: 4, name: "inspection plans per term and their target units",
            statements: [
                """
                CREATE TABLE inspection_plans (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    term TEXT{{C}} NOT NULL,
                    term_start TEXT NOT NULL,
                    term_end TEXT NOT NULL,
                    title TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX inspection_plans_term ON inspection_plans (jurisdiction_id, term)",
                """
                CREATE TABLE plan_targets (
                    jurisdiction_id TEXT NOT NULL,
                    plan_id TEXT NOT NULL REFERENCES inspection_plans(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    reason TEXT,
                    PRIMARY KEY (plan_id, unit_id)
                )
                """,
                "CREATE INDEX plan_targets_unit ON plan_targets (jurisdiction_id, unit_id)",
                "CREATE INDEX rounds_jurisdiction_term ON rounds (jurisdiction_id, term, status)",
            ]),
        Migration(
            version: 5, name: "jurisdiction settings, cadres' own accounts, pledges, notices to units",
            statements: [
                """
                CREATE TABLE jurisdiction_settings (
                    jurisdiction_id TEXT PRIMARY KEY REFERENCES jurisdictions(id),
                    max_units_per_group BIGINT NOT NULL,
                    recent_work_years BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "ALTER TABLE inspectors ADD COLUMN account_id TEXT REFERENCES users(id)",
                "CREATE UNIQUE INDEX inspectors_account ON inspectors (account_id) WHERE account_id IS NOT NULL",
                // One signature per cadre per round, with the wording's version: never rewritten.
                """
                CREATE TABLE pledges (
                    jurisdiction_id TEXT NOT NULL,
                    round_id TEXT NOT NULL REFERENCES rounds(id),
                    inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                    pledge_version TEXT NOT NULL,
                    signed_at BIGINT NOT NULL,
                    PRIMARY KEY (round_id, inspector_id)
                )
                """,
                "CREATE INDEX conflict_declarations_inspector ON conflict_declarations (inspector_id, unit_id)",
                """
                CREATE TABLE notices (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    number TEXT,
                    body TEXT NOT NULL,
                    sent_by TEXT NOT NULL,
                    sent_at BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX notices_assignment ON notices (assignment_id)",
                "CREATE INDEX notices_unit ON notices (jurisdiction_id, unit_id, sent_at, id)",
                "CREATE INDEX notices_jurisdiction_sent ON notices (jurisdiction_id, sent_at, id)",
            ]),
        Migration(
            version: 6, name: "on-site records, petitioners kept apart, classification schemes, findings and their numbering",
            statements: [
                """
                CREATE TABLE onsite_records (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    subject_post TEXT,
                    occurred_on TEXT NOT NULL,
                    place TEXT,
                    body TEXT NOT NULL,
                    interview_category TEXT,
                    channel TEXT,
                    reflected_person TEXT,
                    in_scope BIGINT,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX onsite_records_assignment ON onsite_records (assignment_id, created_at, id)",
                "CREATE INDEX onsite_records_jurisdiction ON onsite_records (jurisdiction_id, created_at, id)",
                """
                CREATE TABLE record_inspectors (
                    record_id TEXT NOT NULL REFERENCES onsite_records(id),
                    inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                    part TEXT NOT NULL,
                    PRIMARY KEY (record_id, inspector_id)
                )
                """,
                // Who petitioned, apart from what they reported: read only with viewReporterIdentity.
                """
                CREATE TABLE petition_reporters (
                    record_id TEXT PRIMARY KEY REFERENCES onsite_records(id),
                    anonymous BIGINT NOT NULL,
                    name TEXT,
                    contact TEXT
                )
                """,
                """
                CREATE TABLE classification_schemes (
                    id TEXT PRIMARY KEY,
                    jurisdiction_id TEXT REFERENCES jurisdictions(id),
                    code TEXT NOT NULL,
                    title TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX classification_schemes_code ON classification_schemes (code, version)",
                """
                CREATE TABLE classification_entries (
                    scheme_id TEXT NOT NULL REFERENCES classification_schemes(id),
                    code TEXT NOT NULL,
                    title TEXT NOT NULL,
                    parent_code TEXT,
                    position BIGINT NOT NULL,
                    PRIMARY KEY (scheme_id, code)
                )
                """,
                """
                CREATE TABLE findings (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    round_id TEXT NOT NULL REFERENCES rounds(id),
                    group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    status TEXT NOT NULL,
                    number TEXT,
                    title TEXT NOT NULL,
                    manifestation TEXT NOT NULL,
                    basis TEXT NOT NULL,
                    evidence TEXT,
                    responsibility TEXT,
                    is_common BIGINT NOT NULL,
                    disposition TEXT,
                    disposition_note TEXT,
                    drafted_by TEXT NOT NULL,
                    meeting_opinion TEXT,
                    approved_by TEXT,
                    approved_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX findings_assignment ON findings (assignment_id, created_at, id)",
                "CREATE INDEX findings_jurisdiction ON findings (jurisdiction_id, created_at, id)",
                "CREATE INDEX findings_jurisdiction_disposition ON findings (jurisdiction_id, disposition, status)",
                "CREATE UNIQUE INDEX findings_number ON findings (jurisdiction_id, number)",
                """
                CREATE TABLE finding_tags (
                    finding_id TEXT NOT NULL REFERENCES findings(id),
                    scheme_id TEXT NOT NULL REFERENCES classification_schemes(id),
                    entry_code TEXT NOT NULL,
                    PRIMARY KEY (finding_id, scheme_id, entry_code)
                )
                """,
                "CREATE INDEX finding_tags_entry ON finding_tags (scheme_id, entry_code, finding_id)",
                """
                CREATE TABLE finding_steps (
                    jurisdiction_id TEXT NOT NULL,
                    id TEXT PRIMARY KEY,
                    finding_id TEXT NOT NULL REFERENCES findings(id),
                    step TEXT NOT NULL,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    note TEXT,
                    actor_name TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX finding_steps_finding ON finding_steps (finding_id, at)",
                // Working-paper numbers are counted per committee, year and group and never reused.
                """
                CREATE TABLE finding_counters (
                    jurisdiction_id TEXT NOT NULL,
                    year BIGINT NOT NULL,
                    group_id TEXT NOT NULL,
                    last_number BIGINT NOT NULL,
                    PRIMARY KEY (jurisdiction_id, year, group_id)
                )
                """,
            ] + ClassificationSeed.statements(ClassificationCatalog.shipped)),
        Migration(
            version: 7, name: "problem leads, their history and numbering, the feedback period setting",
            statements: [
                "ALTER TABLE jurisdiction_settings ADD COLUMN lead_feedback_months BIGINT NOT NULL DEFAULT 3",
                """
                CREATE TABLE leads (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    finding_id TEXT REFERENCES findings(id),
                    number TEXT NOT NULL,
                    source TEXT NOT NULL,
                    person_name TEXT NOT NULL,
                    person_post TEXT,
                    authority TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    content TEXT NOT NULL,
                    evidence TEXT,
                    status TEXT NOT NULL,
                    receiver TEXT,
                    proposal TEXT,
                    transfer_sheet TEXT,
                    transferred_at BIGINT,
                    feedback_due TEXT,
                    received_at BIGINT,
                    method TEXT,
                    form BIGINT,
                    people_count BIGINT,
                    sanctions TEXT,
                    judicial_transfer BIGINT,
                    result TEXT,
                    answered_at BIGINT,
                    closed_at BIGINT,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX leads_number ON leads (jurisdiction_id, number)",
                "CREATE INDEX leads_assignment ON leads (assignment_id, created_at, id)",
                "CREATE INDEX leads_jurisdiction ON leads (jurisdiction_id, created_at, id)",
                "CREATE INDEX leads_inbox ON leads (jurisdiction_id, receiver, status, created_at, id)",
                "CREATE INDEX leads_finding ON leads (finding_id)",
                """
                CREATE TABLE lead_steps (
                    jurisdiction_id TEXT NOT NULL,
                    id TEXT PRIMARY KEY,
                    lead_id TEXT NOT NULL REFERENCES leads(id),
                    step TEXT NOT NULL,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    note TEXT,
                    actor_name TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX lead_steps_lead ON lead_steps (lead_id, at)",
                """
                CREATE TABLE lead_counters (
                    jurisdiction_id TEXT NOT NULL,
                    year BIGINT NOT NULL,
                    last_number BIGINT NOT NULL,
                    PRIMARY KEY (jurisdiction_id, year)
                )
                """,
            ]),
        Migration(
            version: 8, name: "immediate rectification items and numbered document series",
            statements: [
                """
                CREATE TABLE immediate_rectifications (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    finding_id TEXT NOT NULL REFERENCES findings(id),
                    number TEXT,
                    status TEXT NOT NULL,
                    problem TEXT,
                    requirement TEXT,
                    deadline TEXT,
                    issued_at BIGINT,
                    signed_by TEXT,
                    signed_at BIGINT,
                    measures TEXT,
                    reported_at BIGINT,
                    verification TEXT,
                    closed_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX immediate_rectifications_unit ON immediate_rectifications (jurisdiction_id, unit_id, created_at, id)",
                "CREATE INDEX immediate_rectifications_jurisdiction ON immediate_rectifications (jurisdiction_id, created_at, id)",
                "CREATE INDEX immediate_rectifications_finding ON immediate_rectifications (finding_id)",
                "CREATE UNIQUE INDEX immediate_rectifications_number ON immediate_rectifications (jurisdiction_id, number)",
                // Numbered documents beyond papers and leads: one counter per committee, series and year.
                """
                CREATE TABLE document_counters (
                    jurisdiction_id TEXT NOT NULL,
                    series TEXT NOT NULL,
                    year BIGINT NOT NULL,
                    last_number BIGINT NOT NULL,
                    PRIMARY KEY (jurisdiction_id, series, year)
                )
                """,
            ]),
        Migration(
            version: 9, name: "Chinese full-text search over findings and on-site records",
            statements: [],
            // SQLite: FTS5 with the trigram tokenizer, kept in step by triggers (substrings of three
            // or more characters; shorter searches fall back to LIKE).
            sqliteOnly: [
                "CREATE VIRTUAL TABLE findings_fts USING fts5(title, manifestation, content='findings', content_rowid='rowid', tokenize='trigram')",
                "CREATE TRIGGER findings_fts_insert AFTER INSERT ON findings BEGIN INSERT INTO findings_fts (rowid, title, manifestation) VALUES (new.rowid, new.title, new.manifestation); END",
                "CREATE TRIGGER findings_fts_delete AFTER DELETE ON findings BEGIN INSERT INTO findings_fts (findings_fts, rowid, title, manifestation) VALUES ('delete', old.rowid, old.title, old.manifestation); END",
                "CREATE TRIGGER findings_fts_update AFTER UPDATE OF title, manifestation ON findings BEGIN INSERT INTO findings_fts (findings_fts, rowid, title, manifestation) VALUES ('delete', old.rowid, old.title, old.manifestation); INSERT INTO findings_fts (rowid, title, manifestation) VALUES (new.rowid, new.title, new.manifestation); END",
                "INSERT INTO findings_fts (findings_fts) VALUES ('rebuild')",
                "CREATE VIRTUAL TABLE records_fts USING fts5(subject, body, content='onsite_records', content_rowid='rowid', tokenize='trigram')",
                "CREATE TRIGGER records_fts_insert AFTER INSERT ON onsite_records BEGIN INSERT INTO records_fts (rowid, subject, body) VALUES (new.rowid, new.subject, new.body); END",
                "CREATE TRIGGER records_fts_delete AFTER DELETE ON onsite_records BEGIN INSERT INTO records_fts (records_fts, rowid, subject, body) VALUES ('delete', old.rowid, old.subject, old.body); END",
                "CREATE TRIGGER records_fts_update AFTER UPDATE OF subject, body ON onsite_records BEGIN INSERT INTO records_fts (records_fts, rowid, subject, body) VALUES ('delete', old.rowid, old.subject, old.body); INSERT INTO records_fts (rowid, subject, body) VALUES (new.rowid, new.subject, new.body); END",
                "INSERT INTO records_fts (records_fts) VALUES ('rebuild')",
            ],
            // PostgreSQL: pg_trgm GIN indexes serve the same LIKE the store writes; CJK trigrams need a
            // UTF-8 ctype (scripts/pg-cluster uses C.UTF-8).
            postgresOnly: [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX findings_trgm ON findings USING gin ((title || ' ' || manifestation) gin_trgm_ops)",
                "CREATE INDEX onsite_records_trgm ON onsite_records USING gin ((subject || ' ' || body) gin_trgm_ops)",
            ]),
        Migration(
            version: 10, name: "evidence files by content hash and their attachments",
            statements: [
                // One row per distinct file content; the bytes live in the evidence directory under their hash.
                """
                CREATE TABLE evidence_files (
                    sha256 TEXT PRIMARY KEY,
                    size BIGINT NOT NULL,
                    content_type TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE attachments (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    owner_type TEXT NOT NULL,
                    owner_id TEXT NOT NULL,
                    sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
                    filename TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    size BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX attachments_owner ON attachments (owner_type, owner_id, created_at)",
            ]),
        Migration(
            version: 11, name: "leads received by a lower committee's bodies; the 四种形态 scheme",
            statements: [
                "ALTER TABLE leads ADD COLUMN receiver_jurisdiction_id TEXT REFERENCES jurisdictions(id)",
                "CREATE INDEX leads_receiver_inbox ON leads (receiver_jurisdiction_id, receiver, status, created_at, id)",
            ] + ClassificationSeed.statements([ClassificationCatalog.fourForms])),
        Migration(
            version: 12, name: "reports, their approval chain, history and filings",
            statements: [
                "ALTER TABLE jurisdiction_settings ADD COLUMN report_chain TEXT",
                """
                CREATE TABLE reports (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    round_id TEXT NOT NULL REFERENCES rounds(id),
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    group_id TEXT NOT NULL REFERENCES inspection_groups(id),
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL,
                    chain TEXT NOT NULL,
                    stage_index BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX reports_jurisdiction ON reports (jurisdiction_id, created_at, id)",
                "CREATE INDEX reports_assignment ON reports (assignment_id, kind, status)",
                """
                CREATE TABLE report_findings (
                    report_id TEXT NOT NULL REFERENCES reports(id),
                    finding_id TEXT NOT NULL REFERENCES findings(id),
                    PRIMARY KEY (report_id, finding_id)
                )
                """,
                """
                CREATE TABLE report_steps (
                    jurisdiction_id TEXT NOT NULL,
                    id TEXT PRIMARY KEY,
                    report_id TEXT NOT NULL REFERENCES reports(id),
                    step TEXT NOT NULL,
                    stage_name TEXT,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    note TEXT,
                    actor_name TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX report_steps_report ON report_steps (report_id, at)",
                """
                CREATE TABLE report_filings (
                    jurisdiction_id TEXT NOT NULL,
                    report_id TEXT NOT NULL REFERENCES reports(id),
                    recipient TEXT NOT NULL,
                    filed_by TEXT NOT NULL,
                    filed_at BIGINT NOT NULL,
                    PRIMARY KEY (report_id, recipient)
                )
                """,
            ]),
        Migration(
            version: 13, name: "feedback to units and their problem lists",
            statements: [
                """
                CREATE TABLE feedbacks (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    number TEXT NOT NULL,
                    title TEXT NOT NULL,
                    main_recipient TEXT NOT NULL,
                    copy_recipients TEXT NOT NULL,
                    body TEXT NOT NULL,
                    plan_due TEXT NOT NULL,
                    report_due TEXT NOT NULL,
                    status TEXT NOT NULL,
                    issued_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX feedbacks_assignment ON feedbacks (assignment_id)",
                "CREATE INDEX feedbacks_unit ON feedbacks (jurisdiction_id, unit_id, created_at, id)",
                "CREATE INDEX feedbacks_jurisdiction ON feedbacks (jurisdiction_id, created_at, id)",
                """
                CREATE TABLE feedback_problems (
                    feedback_id TEXT NOT NULL REFERENCES feedbacks(id),
                    id TEXT PRIMARY KEY,
                    sequence BIGINT NOT NULL,
                    text TEXT NOT NULL,
                    finding_id TEXT NOT NULL REFERENCES findings(id)
                )
                """,
                "CREATE INDEX feedback_problems_feedback ON feedback_problems (feedback_id, sequence)",
            ]),
        Migration(
            version: 14, name: "rectification plans with their tasks (三个一), reviews, progress and supervision checks; warning settings",
            statements: [
                "ALTER TABLE jurisdiction_settings ADD COLUMN warning_green_days BIGINT NOT NULL DEFAULT 20",
                "ALTER TABLE jurisdiction_settings ADD COLUMN warning_yellow_days BIGINT NOT NULL DEFAULT 10",
                "ALTER TABLE jurisdiction_settings ADD COLUMN rectification_report_months BIGINT NOT NULL DEFAULT 2",
                """
                CREATE TABLE rectification_plans (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    feedback_id TEXT NOT NULL REFERENCES feedbacks(id),
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    title TEXT NOT NULL,
                    meeting TEXT NOT NULL,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL,
                    revision BIGINT NOT NULL,
                    endorsed_by TEXT,
                    endorsed_by_name TEXT,
                    endorsed_at BIGINT,
                    endorsed_digest TEXT,
                    endorsed_text TEXT,
                    approved_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX rectification_plans_feedback ON rectification_plans (feedback_id)",
                "CREATE INDEX rectification_plans_jurisdiction ON rectification_plans (jurisdiction_id, status, created_at, id)",
                "CREATE INDEX rectification_plans_unit ON rectification_plans (jurisdiction_id, unit_id, created_at, id)",
                """
                CREATE TABLE plan_reviews (
                    plan_id TEXT NOT NULL REFERENCES rectification_plans(id),
                    id TEXT PRIMARY KEY,
                    body TEXT NOT NULL,
                    decision TEXT NOT NULL,
                    comment TEXT NOT NULL,
                    reviewer_id TEXT NOT NULL,
                    reviewer_name TEXT NOT NULL,
                    revision BIGINT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX plan_reviews_plan ON plan_reviews (plan_id, created_at)",
                """
                CREATE TABLE rectification_tasks (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    plan_id TEXT NOT NULL REFERENCES rectification_plans(id),
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    problem_id TEXT NOT NULL REFERENCES feedback_problems(id),
                    sequence BIGINT NOT NULL,
                    target TEXT NOT NULL,
                    measures TEXT NOT NULL,
                    deadline TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    report_every_days BIGINT,
                    responsible_leader TEXT NOT NULL,
                    responsible_department TEXT NOT NULL,
                    responsible_cadre TEXT NOT NULL,
                    owner_account_id TEXT REFERENCES users(id),
                    status TEXT NOT NULL,
                    progress BIGINT NOT NULL,
                    last_reported_on TEXT,
                    next_report_due TEXT,
                    closed_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                // The lists filter a committee's tasks by status and deadline (warnings, overdue) and
                // a unit's or a cadre's own; each index leads with the column the policy filters on.
                "CREATE INDEX rectification_tasks_deadline ON rectification_tasks (jurisdiction_id, deadline, id)",
                "CREATE INDEX rectification_tasks_status ON rectification_tasks (jurisdiction_id, status, deadline, id)",
                "CREATE INDEX rectification_tasks_unit ON rectification_tasks (jurisdiction_id, unit_id, deadline, id)",
                "CREATE INDEX rectification_tasks_owner ON rectification_tasks (owner_account_id, deadline, id)",
                "CREATE INDEX rectification_tasks_assignment ON rectification_tasks (assignment_id, deadline, id)",
                "CREATE INDEX rectification_tasks_plan ON rectification_tasks (plan_id, problem_id, sequence)",
                // Long-term tasks whose periodic report is due, per unit.
                "CREATE INDEX rectification_tasks_report_due ON rectification_tasks (unit_id, next_report_due)",
                // The problem list counts each problem's tasks, closed and overdue ones, from the index alone.
                "CREATE INDEX rectification_tasks_problem ON rectification_tasks (problem_id, status, deadline)",
                """
                CREATE TABLE task_events (
                    task_id TEXT NOT NULL REFERENCES rectification_tasks(id),
                    id TEXT PRIMARY KEY,
                    step TEXT NOT NULL,
                    note TEXT NOT NULL,
                    progress BIGINT,
                    actor_id TEXT NOT NULL,
                    actor_name TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX task_events_task ON task_events (task_id, created_at)",
                """
                CREATE TABLE supervision_checks (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    task_id TEXT NOT NULL REFERENCES rectification_tasks(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    checked_on TEXT NOT NULL,
                    body TEXT NOT NULL,
                    checker_id TEXT NOT NULL,
                    checker_name TEXT NOT NULL,
                    method TEXT NOT NULL,
                    result TEXT NOT NULL,
                    note TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                // The checks are listed newest first (keyset on created_at, id).
                "CREATE INDEX supervision_checks_jurisdiction ON supervision_checks (jurisdiction_id, created_at, id)",
                "CREATE INDEX supervision_checks_task ON supervision_checks (task_id, checked_on)",
            ]),
        Migration(
            version: 15, name: "rectification reports signed by the unit head, disclosures and their history",
            statements: [
                """
                CREATE TABLE rectification_reports (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    feedback_id TEXT NOT NULL REFERENCES feedbacks(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL,
                    due TEXT NOT NULL,
                    signer_id TEXT REFERENCES users(id),
                    signer_name TEXT,
                    signed_at BIGINT,
                    signed_digest TEXT,
                    submitted_at BIGINT,
                    review_note TEXT,
                    reviewed_at BIGINT,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX rectification_reports_jurisdiction ON rectification_reports (jurisdiction_id, created_at, id)",
                "CREATE INDEX rectification_reports_unit ON rectification_reports (jurisdiction_id, unit_id, created_at, id)",
                "CREATE INDEX rectification_reports_feedback ON rectification_reports (feedback_id, kind)",
                """
                CREATE TABLE disclosures (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    report_id TEXT NOT NULL REFERENCES rectification_reports(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    title TEXT NOT NULL,
                    text TEXT NOT NULL,
                    exemptions TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    status TEXT NOT NULL,
                    review_note TEXT,
                    published_on TEXT,
                    published_at BIGINT,
                    circulation_number TEXT,
                    circulation_scope TEXT,
                    circulation_date TEXT,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX disclosures_jurisdiction ON disclosures (jurisdiction_id, created_at, id)",
                // The public page: one committee's published public texts, newest first.
                "CREATE INDEX disclosures_public ON disclosures (jurisdiction_id, status, channel, published_at, id)",
                """
                CREATE TABLE rectification_steps (
                    jurisdiction_id TEXT NOT NULL,
                    id TEXT PRIMARY KEY,
                    subject_type TEXT NOT NULL,
                    subject_id TEXT NOT NULL,
                    step TEXT NOT NULL,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    note TEXT,
                    actor_name TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX rectification_steps_subject ON rectification_steps (subject_id, at)",
            ]),
        Migration(
            version: 16, name: "rule improvements, rectification evaluations, 回头看",
            statements: [
                """
                CREATE TABLE rule_improvements (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    unit_id TEXT REFERENCES units(id),
                    adopting_body TEXT,
                    title TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    document_number TEXT,
                    adopted_on TEXT NOT NULL,
                    adopted_year BIGINT NOT NULL,
                    description TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX rule_improvements_jurisdiction ON rule_improvements (jurisdiction_id, created_at, id)",
                "CREATE INDEX rule_improvements_year ON rule_improvements (jurisdiction_id, adopted_year, kind)",
                """
                CREATE TABLE rule_improvement_problems (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    rule_improvement_id TEXT NOT NULL REFERENCES rule_improvements(id),
                    problem_id TEXT NOT NULL REFERENCES feedback_problems(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    PRIMARY KEY (rule_improvement_id, problem_id)
                )
                """,
                "CREATE INDEX rule_improvement_problems_unit ON rule_improvement_problems (jurisdiction_id, unit_id, rule_improvement_id)",
                "CREATE INDEX rule_improvement_problems_problem ON rule_improvement_problems (problem_id)",
                """
                CREATE TABLE evaluations (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    feedback_id TEXT NOT NULL REFERENCES feedbacks(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    status TEXT NOT NULL,
                    planned_on TEXT NOT NULL,
                    schedule_note TEXT,
                    methods TEXT NOT NULL,
                    findings TEXT,
                    grade TEXT,
                    evaluated_on TEXT,
                    graded_by TEXT,
                    second_deadline TEXT,
                    second_report TEXT,
                    second_reported_by TEXT,
                    second_reported_at BIGINT,
                    review_note TEXT,
                    closed_at BIGINT,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX evaluations_jurisdiction ON evaluations (jurisdiction_id, created_at, id)",
                "CREATE INDEX evaluations_unit ON evaluations (jurisdiction_id, unit_id, created_at, id)",
                "CREATE INDEX evaluations_grade ON evaluations (jurisdiction_id, grade, status)",
                "CREATE INDEX evaluations_feedback ON evaluations (feedback_id)",
                """
                CREATE TABLE evaluation_steps (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    evaluation_id TEXT NOT NULL REFERENCES evaluations(id),
                    id TEXT PRIMARY KEY,
                    step TEXT NOT NULL,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    note TEXT,
                    actor_name TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX evaluation_steps_evaluation ON evaluation_steps (evaluation_id, at, id)",
                """
                CREATE TABLE follow_ups (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    evaluation_id TEXT REFERENCES evaluations(id),
                    planned_year BIGINT NOT NULL,
                    planned_quarter BIGINT NOT NULL,
                    planned_on TEXT,
                    reason TEXT NOT NULL,
                    status TEXT NOT NULL,
                    outcome TEXT,
                    scheduled_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    settled_at BIGINT,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX follow_ups_jurisdiction ON follow_ups (jurisdiction_id, created_at, id)",
                "CREATE INDEX follow_ups_plan ON follow_ups (jurisdiction_id, status, planned_year, planned_quarter)",
            ]),
        Migration(
            version: 17, name: "systemic problems: the unit threshold setting, thematic reports to functional departments and the rules they led to",
            statements: [
                "ALTER TABLE jurisdiction_settings ADD COLUMN systemic_unit_threshold BIGINT NOT NULL DEFAULT 3",
                // Recurring items are counted per committee, item and unit from the tags.
                "CREATE INDEX findings_jurisdiction_status_unit ON findings (jurisdiction_id, status, unit_id)",
                """
                CREATE TABLE thematic_reports (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    department_unit_id TEXT NOT NULL REFERENCES units(id),
                    round_id TEXT REFERENCES rounds(id),
                    year BIGINT,
                    status TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    sent_at BIGINT,
                    closed_at BIGINT,
                    updated_at BIGINT NOT NULL,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX thematic_reports_jurisdiction ON thematic_reports (jurisdiction_id, created_at, id)",
                "CREATE INDEX thematic_reports_department ON thematic_reports (jurisdiction_id, department_unit_id, status)",
                """
                CREATE TABLE thematic_report_items (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    report_id TEXT NOT NULL REFERENCES thematic_reports(id),
                    scheme_id TEXT NOT NULL REFERENCES classification_schemes(id),
                    entry_code TEXT NOT NULL,
                    PRIMARY KEY (report_id, scheme_id, entry_code)
                )
                """,
                """
                CREATE TABLE thematic_report_findings (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    report_id TEXT NOT NULL REFERENCES thematic_reports(id),
                    finding_id TEXT NOT NULL REFERENCES findings(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    PRIMARY KEY (report_id, finding_id)
                )
                """,
                "CREATE INDEX thematic_report_findings_finding ON thematic_report_findings (finding_id)",
                """
                CREATE TABLE thematic_report_rules (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    report_id TEXT NOT NULL REFERENCES thematic_reports(id),
                    rule_improvement_id TEXT NOT NULL REFERENCES rule_improvements(id),
                    PRIMARY KEY (report_id, rule_improvement_id)
                )
                """,
                "CREATE INDEX thematic_report_rules_rule ON thematic_report_rules (rule_improvement_id)",
                """
                CREATE TABLE thematic_report_steps (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    report_id TEXT NOT NULL REFERENCES thematic_reports(id),
                    id TEXT PRIMARY KEY,
                    step TEXT NOT NULL,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    note TEXT,
                    actor_name TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX thematic_report_steps_report ON thematic_report_steps (report_id, at, id)",
            ]),
        // The statistics count whole committees (or a subtree, one committee id after another) within a
        // period: each index leads with the committee and the period's column and carries every
        // column the aggregate reads, so a count is an index-only range scan (docs/performance.md).
        Migration(
            version: 18, name: "covering indexes for the statistics",
            statements: [
                "CREATE INDEX findings_statistics ON findings (jurisdiction_id, status, approved_at, disposition, id)",
                "CREATE INDEX leads_statistics ON leads (jurisdiction_id, created_at, status, receiver, answered_at, form, feedback_due)",
                "CREATE INDEX rectification_tasks_statistics ON rectification_tasks (jurisdiction_id, created_at, status, deadline, closed_at, plan_id)",
                "CREATE INDEX rectification_plans_status ON rectification_plans (id, status)",
                "CREATE INDEX assignments_statistics ON assignments (jurisdiction_id, batch_id, unit_id, round_id, group_id, id)",
                "CREATE INDEX rule_improvements_adopted ON rule_improvements (jurisdiction_id, adopted_on, kind)",
            ]),
        Migration(
            version: 19, name: "sign-in throttling per name and address instead of account locks; two-person password resets",
            statements: [
                // One row per counter (SignInThrottle): scope pair (username, address), address
                // (username ''), account (address ''). Keyed by the name as typed, so unknown names
                // are counted like accounts.
                """
                CREATE TABLE sign_in_throttles (
                    scope TEXT NOT NULL,
                    username TEXT{{C}} NOT NULL,
                    address TEXT{{C}} NOT NULL,
                    failures BIGINT NOT NULL,
                    strikes BIGINT NOT NULL,
                    blocked_until BIGINT,
                    last_failed_at BIGINT NOT NULL,
                    PRIMARY KEY (scope, username, address)
                )
                """,
                "CREATE INDEX sign_in_throttles_username ON sign_in_throttles (username)",
                "CREATE INDEX sign_in_throttles_last_failed ON sign_in_throttles (last_failed_at)",
                // A recognised address is one the account signed in from: looked up by both.
                "CREATE INDEX sessions_user_address ON sessions (user_id, client_address, created_at)",
                // Account-wide locks are gone; locked_until now mirrors a throttle in force.
                "UPDATE users SET locked_until = NULL, failed_sign_ins = 0",
                // A reset of a business account waits for the security administrator (PasswordResetRule).
                """
                CREATE TABLE password_reset_requests (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users(id),
                    requested_by_id TEXT,
                    requested_by TEXT NOT NULL,
                    requested_at BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    decided_by TEXT,
                    decided_at BIGINT,
                    reason TEXT,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX password_reset_requests_status ON password_reset_requests (jurisdiction_id, status, requested_at, id)",
                // One open request per account.
                "CREATE UNIQUE INDEX password_reset_requests_pending ON password_reset_requests (user_id) WHERE status = 'pending'",
                "ALTER TABLE users ADD COLUMN reset_notice TEXT",
            ]),
        // A unit's recusal request waits for the office's decision; only a granted one becomes a
        // conflict_declarations row (which is what closes the unit to the member). A thematic report
        // carries the office's own wording of each problem, the only text its department reads, and
        // whether it names the unit; reports sent before this have none, so they show no problem
        // text to their department (fail closed) until the office writes a new report.
        Migration(
            version: 20, name: "recusal requests decided by the office; the office's wording of a thematic report's problems",
            statements: [
                "ALTER TABLE thematic_report_findings ADD COLUMN wording TEXT",
                "ALTER TABLE thematic_report_findings ADD COLUMN names_unit BIGINT NOT NULL DEFAULT 0",
                """
                CREATE TABLE recusal_requests (
                    jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id),
                    id TEXT PRIMARY KEY,
                    notice_id TEXT NOT NULL REFERENCES notices(id),
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    inspector_id TEXT NOT NULL REFERENCES inspectors(id),
                    reason TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    requested_at BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    decided_by TEXT,
                    decided_at BIGINT,
                    decision_reason TEXT
                )
                """,
                "CREATE INDEX recusal_requests_jurisdiction ON recusal_requests (jurisdiction_id, status, requested_at, id)",
                "CREATE INDEX recusal_requests_unit ON recusal_requests (jurisdiction_id, unit_id, requested_at, id)",
                "CREATE INDEX recusal_requests_assignment ON recusal_requests (assignment_id, inspector_id, status)",
            ]),
    ]
}

/// The shipped classification schemes as INSERT statements. Migration 6 ships version 1 of each;
/// `ClassificationCatalog.shipped` is therefore frozen: a changed vocabulary is a new version in a
/// new migration (or entered by the office), never an edit.
enum ClassificationSeed {
    static func schemeID(_ scheme: ClassificationScheme) -> String { "\(scheme.code)@\(scheme.version)" }

    static func statements(_ schemes: [ClassificationScheme]) -> [String] {
        func literal(_ text: String?) -> String { text.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL" }
        return schemes.flatMap { scheme in
            ["INSERT INTO classification_schemes (id, jurisdiction_id, code, title, version, created_at) VALUES (\(literal(schemeID(scheme))), NULL, \(literal(scheme.code)), \(literal(scheme.title)), \(scheme.version), 0)"]
                + scheme.entries.enumerated().map { index, entry in
                    "INSERT INTO classification_entries (scheme_id, code, title, parent_code, position) VALUES (\(literal(schemeID(scheme))), \(literal(entry.code)), \(literal(entry.title)), \(literal(entry.parent)), \(index))"
                }
        }
    }
}

/// Applies pending migrations, each in its own transaction, recording them in `schema_migrations`.
public struct Migrator: Sendable {
    let database: Database
    let migrations: [Migration]
    let logger: Logger

    public init(database: Database, migrations: [Migration] = Migrations.all, logger: Logger) {
        self.database = database
        self.migrations = migrations
        self.logger = logger
    }

    /// Versions already applied.
    public func appliedVersions() async throws -> [Int] {
        try await ensureLedger()
        return try await database.read { db in
            try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all().map {
                try $0.decode(column: "version", as: Int.self)
            }
        }
    }

    /// Applies every pending migration in order. A failing migration is rolled back whole and
    /// stops the run with a message naming it; earlier ones stay applied.
    @discardableResult
    public func migrate(now: Date = Date()) async throws -> [Migration] {
        try await ensureLedger()
        let applied = Set(try await appliedVersions())
        // A database migrated by a newer release has tables this binary does not know; writing
        // to it could corrupt them.
        if let newest = applied.max(), let known = migrations.map(\.version).max(), newest > known {
            throw MigrationError(version: newest, name: "未知迁移", underlying: "数据库已由更新版本的 Xuncha 迁移（第\(newest)号），请使用相同或更新的版本")
        }
        var done: [Migration] = []
        let engine = database.engine
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
            do {
                try await database.transaction { db in
                    if engine == .postgres {
                        // Two servers starting at once must not both migrate.
                        try await db.raw("SELECT pg_advisory_xact_lock(7264001)").run()
                        let already = try await db.raw("SELECT 1 AS one FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                        if already != nil { return }
                    }
                    for statement in migration.sql(for: engine) {
                        try await db.raw(SQLQueryString(statement)).run()
                    }
                    try await db.raw(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now.epochMilliseconds))"
                    ).run()
                }
            } catch {
                throw MigrationError(version: migration.version, name: migration.name, underlying: String(describing: error))
            }
            logger.info("applied migration \(migration.version): \(migration.name)")
            done.append(migration)
        }
        return done
    }

    private func ensureLedger() async throws {
        try await database.transaction { db in
            try await db.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
            ).run()
        }
    }
}

/// A migration that failed; nothing of it was applied.
public struct MigrationError: Error, CustomStringConvertible {
    public var version: Int
    public var name: String
    public var underlying: String

    public var description: String {
        "数据库迁移 \(version)（\(name)）失败，已整体回滚，服务未启动：\(underlying)"
    }
}
