"""The server's own tables, beside the synced ones it shares with the laptops.

They live in their own `MetaData`, as the laptop's outbox does: the synced models are the
shared contract, these are the server's business (devices and their tokens, enrolment codes,
admin accounts, the change log pull reads, stored push answers, conflicts, the audit trail).

Why some of them look the way they do:
- `change_log` has one entry per row, moved to a new `seq` on every change, so a pull returns
  each row once at its newest version. `seq` comes from `sync_counter`, incremented inside the
  pushing transaction: the counter row's lock orders the commits, so a pull never skips a
  change committed late with a smaller number (a PostgreSQL sequence could).
- `applied_change` remembers the laptop's own version of every change applied from it, so a
  change resent in a new batch after a lost answer is recognised as a duplicate.
- `push_batch` keeps each batch's answer: the same batch again gets the same answer again.
- Tokens and enrolment codes are stored as SHA-256 hashes only.
- `sync_answer` keeps the answer file made for a laptop's USB sync file until the officer
  downloads it (a week at most): only that laptop can open it.
- `list_upload` holds a household list between the officer's upload and the import they
  confirm after checking the columns: in the database, so any server process can answer the
  next page, and deleted once imported or after a day.
- `campaign` and `campaign_target` hold the commune's campaign (one at a time per commune:
  its period, dates in office time, both days included) and the officer's targets per hamlet.
  They name the synced commune and village rows by id without a foreign key, as
  `change_log` does: the synced tables live in the other metadata.
- `server_secret` keeps secrets the server draws for itself once, such as the key that signs
  the officers' login cookies: in the database, so a restart keeps officers logged in and
  every server process signs with the same key.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SERVER_METADATA = MetaData()

device = Table(
    "device",
    SERVER_METADATA,
    Column("id", String(36), primary_key=True),  # the laptop's own device id
    Column("name", String(120), nullable=False, default=""),
    Column("commune_id", String(36), nullable=False, index=True),
    Column("commune_code", Integer, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("public_key", String(64), nullable=False),  # hex Ed25519, verifies QR receipts
    Column("enrolled_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
)

enrolment_code = Table(
    "enrolment_code",
    SERVER_METADATA,
    Column("code_hash", String(64), primary_key=True),
    Column("commune_code", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("used_by", String(36), nullable=True),  # device id
    Column("created_by", String(64), nullable=False),  # admin user name, or "cli"
)

admin = Table(
    "admin",
    SERVER_METADATA,
    Column("username", String(64), primary_key=True),
    # "scrypt$n$r$p$salt_hex$hash_hex"
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

sync_counter = Table(
    "sync_counter",
    SERVER_METADATA,
    Column("id", Integer, primary_key=True),  # always 1
    Column("value", BigInteger, nullable=False),
)

change_log = Table(
    "change_log",
    SERVER_METADATA,
    Column("row_id", String(36), primary_key=True),
    Column("table_name", String(32), nullable=False),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    # None for what every commune receives (form and guide definitions).
    Column("commune_id", String(36), nullable=True),
    # The laptop that already holds this version, whose pulls skip it (see change_feed).
    Column("device_id", String(36), nullable=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Index("ix_change_log_commune_seq", "commune_id", "seq"),
)

applied_change = Table(
    "applied_change",
    SERVER_METADATA,
    Column("device_id", String(36), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("local_version", Integer, primary_key=True),
    Column("server_version", Integer, nullable=False),
)

push_batch = Table(
    "push_batch",
    SERVER_METADATA,
    Column("batch_id", String(36), primary_key=True),
    Column("device_id", String(36), ForeignKey("device.id"), nullable=False),
    Column("response", Text, nullable=False),  # the PushResponse JSON sent back
    Column("received_at", DateTime(timezone=True), nullable=False),
)

conflict = Table(
    "conflict",
    SERVER_METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("table_name", String(32), nullable=False),
    Column("row_id", String(36), nullable=False, index=True),
    Column("commune_id", String(36), nullable=False, index=True),
    Column("device_id", String(36), nullable=False),
    Column("base_version", Integer, nullable=False),
    Column("server_version", Integer, nullable=False),
    Column("incoming", Text, nullable=False),  # the pushed row, sync_protocol JSON
    Column("current", Text, nullable=False),  # the server's row when the conflict was found
    Column("detected_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_by", String(64), nullable=True),
    Column("resolution", String(16), nullable=True),  # "server" | "incoming"
)

definition = Table(
    "definition",
    SERVER_METADATA,
    Column("row_id", String(36), primary_key=True),  # uuid5 of kind/id/version
    Column("kind", String(16), nullable=False),  # "form" | "guide"
    Column("definition_id", String(64), nullable=False),
    Column("version", String(32), nullable=False),
    Column("body", Text, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "definition_id", "version"),
)

audit_log = Table(
    "audit_log",
    SERVER_METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),  # admin user name, device id or "cli"
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    # The commune the deed concerns, for the audit page's filter; None for logins and the like.
    Column("commune_id", String(36), nullable=True, index=True),
)

imported_receipt = Table(
    "imported_receipt",
    SERVER_METADATA,
    Column("record_id", String(36), primary_key=True),  # a receipt names one form record
    Column("device_id", String(36), nullable=False),
    Column("form_id", String(64), nullable=False),
    Column("form_version", String(32), nullable=False),
    Column("answers", Text, nullable=False),  # JSON, as signed
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("imported_by", String(64), nullable=False),
)

list_upload = Table(
    "list_upload",
    SERVER_METADATA,
    Column("id", String(36), primary_key=True),
    Column("commune_code", Integer, nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(64), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

campaign = Table(
    "campaign",
    SERVER_METADATA,
    Column("commune_id", String(36), primary_key=True),  # one campaign per commune at a time
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),  # included
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64), nullable=False),
)

campaign_target = Table(
    "campaign_target",
    SERVER_METADATA,
    Column("village_id", String(36), primary_key=True),
    Column("commune_id", String(36), nullable=False, index=True),
    Column("households", Integer, nullable=False, default=0),  # households to reach
    Column("level2", Integer, nullable=False, default=0),  # level-2 VNeID accounts
    Column("forms", Integer, nullable=False, default=0),  # completed forms
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64), nullable=False),
)

sync_answer = Table(
    "sync_answer",
    SERVER_METADATA,
    Column("id", String(36), primary_key=True),
    Column("device_id", String(36), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("content", LargeBinary, nullable=False),  # sealed for that laptop alone
    Column("summary", Text, nullable=False),
    Column("made_at", DateTime(timezone=True), nullable=False),
    Column("made_by", String(64), nullable=False),
)

server_secret = Table(
    "server_secret",
    SERVER_METADATA,
    Column("name", String(32), primary_key=True),
    Column("value", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
