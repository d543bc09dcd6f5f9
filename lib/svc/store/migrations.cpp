#include <svc/store/migrations.hpp>

#include <array>

namespace svc::store {

namespace {

// Version 1: the schema of the whole product. All times are unix seconds (UTC); all JSON columns hold
// objects or arrays as text. Names of agents are kept as text where a person may act without being a
// registered agent (--as), and as foreign keys where routing needs the agent's record.
constexpr std::string_view k_v1 = R"SQL(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE accounts (
  id                 INTEGER PRIMARY KEY,
  name               TEXT NOT NULL,
  platform           TEXT NOT NULL CHECK (platform IN ('weibo', 'wechat', 'telegram')),
  base_url           TEXT,
  token_source       TEXT NOT NULL DEFAULT 'none' CHECK (token_source IN ('none', 'env', 'file', 'value')),
  token_ref          TEXT,
  app_id             TEXT,
  secret_source      TEXT NOT NULL DEFAULT 'none' CHECK (secret_source IN ('none', 'env', 'file', 'value')),
  secret_ref         TEXT,
  callback_source    TEXT NOT NULL DEFAULT 'none' CHECK (callback_source IN ('none', 'env', 'file', 'value')),
  callback_ref       TEXT,
  webhook_source     TEXT NOT NULL DEFAULT 'none' CHECK (webhook_source IN ('none', 'env', 'file', 'value')),
  webhook_ref        TEXT,
  platform_user_id   TEXT,
  display_name       TEXT,
  created_at         INTEGER NOT NULL,
  unbound_at         INTEGER            -- unbind keeps the history; the name becomes free again
);
CREATE UNIQUE INDEX accounts_bound_name ON accounts (name) WHERE unbound_at IS NULL;

-- A platform's short-lived credentials (WeChat access_token), shared by concurrent svc processes.
CREATE TABLE access_tokens (
  account_id  INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  token       TEXT NOT NULL,
  expires_at  INTEGER NOT NULL
);

-- Per-account request budgets (token buckets), so parallel processes together stay under a quota.
CREATE TABLE rate_buckets (
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  tokens      REAL NOT NULL,
  updated_at  REAL NOT NULL,
  PRIMARY KEY (account_id, name)
);

-- Pull progress per account and stream; the value is the adapter's opaque cursor.
CREATE TABLE cursors (
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  stream      TEXT NOT NULL,
  value       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, stream)
);

-- A person: what linked identities on several channels share.
CREATE TABLE persons (
  id          INTEGER PRIMARY KEY,
  created_at  INTEGER NOT NULL
);

-- One identity of a customer on one bound account.
CREATE TABLE contacts (
  id                INTEGER PRIMARY KEY,
  account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  platform_user_id  TEXT NOT NULL,
  person_id         INTEGER REFERENCES persons (id) ON DELETE SET NULL,
  name              TEXT,
  username          TEXT,
  avatar_url        TEXT,
  gender            TEXT,
  location          TEXT,
  followers         INTEGER,
  description       TEXT,
  language          TEXT,
  profile           TEXT NOT NULL DEFAULT '{}',  -- every field with when it was last seen
  first_seen_at     INTEGER NOT NULL,
  last_seen_at      INTEGER NOT NULL,
  last_inbound_at   INTEGER,                     -- platform windows (WeChat 48 h) start here
  UNIQUE (account_id, platform_user_id)
);
CREATE INDEX contacts_person ON contacts (person_id);
CREATE INDEX contacts_name ON contacts (name);

CREATE TABLE contact_attributes (
  contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  value       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (contact_id, key)
);

CREATE TABLE contact_notes (
  id          INTEGER PRIMARY KEY,
  contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  author      TEXT,
  text        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE tags (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE contact_tags (
  contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  tag_id      INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  source      TEXT NOT NULL DEFAULT 'local',     -- local | platform | rule | import
  PRIMARY KEY (contact_id, tag_id)
);
CREATE INDEX contact_tags_tag ON contact_tags (tag_id);

-- A local tag's id on a platform account (WeChat user tags), for tag sync.
CREATE TABLE platform_tags (
  account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  tag_id           INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  platform_tag_id  TEXT NOT NULL,
  synced_at        INTEGER NOT NULL,
  PRIMARY KEY (account_id, tag_id),
  UNIQUE (account_id, platform_tag_id)
);

CREATE TABLE agents (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL UNIQUE,
  skills            TEXT NOT NULL DEFAULT '[]',
  max_chats         INTEGER NOT NULL DEFAULT 50 CHECK (max_chats > 0),
  status            TEXT NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'away', 'offline')),
  last_assigned_at  INTEGER,
  created_at        INTEGER NOT NULL,
  removed_at        INTEGER
);

CREATE TABLE groups (
  id                 INTEGER PRIMARY KEY,
  name               TEXT NOT NULL UNIQUE,
  skills             TEXT NOT NULL DEFAULT '[]',
  overflow_group_id  INTEGER REFERENCES groups (id) ON DELETE SET NULL,
  overflow_after_s   INTEGER,
  created_at         INTEGER NOT NULL
);

CREATE TABLE group_members (
  group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  agent_id  INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, agent_id)
);

-- A thread: per account and contact for DMs, per post for comments and mentions.
CREATE TABLE conversations (
  id                 INTEGER PRIMARY KEY,
  account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  channel            TEXT NOT NULL CHECK (channel IN ('dm', 'comment', 'mention')),
  thread_key         TEXT NOT NULL,
  contact_id         INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
  status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved')),
  priority           INTEGER NOT NULL DEFAULT 0,
  assignee_id        INTEGER REFERENCES agents (id) ON DELETE SET NULL,
  group_id           INTEGER REFERENCES groups (id) ON DELETE SET NULL,
  claimed_by         TEXT,
  claim_expires_at   INTEGER,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  last_inbound_at    INTEGER,
  last_outbound_at   INTEGER,
  waiting_since      INTEGER,                     -- oldest unanswered inbound message, or NULL
  first_response_at  INTEGER,
  resolved_at        INTEGER,
  reopen_count       INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, channel, thread_key)
);
CREATE INDEX conversations_waiting ON conversations (status, waiting_since);
CREATE INDEX conversations_assignee ON conversations (assignee_id, status);
CREATE INDEX conversations_contact ON conversations (contact_id);

CREATE TABLE messages (
  id                   INTEGER PRIMARY KEY,
  account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id      INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  contact_id           INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
  platform_message_id  TEXT NOT NULL,
  direction            TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  channel              TEXT NOT NULL CHECK (channel IN ('dm', 'comment', 'mention')),
  kind                 TEXT NOT NULL DEFAULT 'text',
  author               TEXT,                      -- display name of the sender (customer or agent)
  agent                TEXT,                      -- outbound: the agent who sent it
  is_bot               INTEGER NOT NULL DEFAULT 0,
  text                 TEXT NOT NULL DEFAULT '',
  created_at           INTEGER NOT NULL,          -- the platform's time
  stored_at            INTEGER NOT NULL,          -- when svc stored it
  reply_to             TEXT,                      -- platform id of the message this answers
  via                  TEXT NOT NULL DEFAULT 'pull' CHECK (via IN ('pull', 'callback', 'outbox', 'import')),
  raw                  TEXT,
  UNIQUE (account_id, platform_message_id)
);
CREATE INDEX messages_conversation ON messages (conversation_id, created_at);
CREATE INDEX messages_created ON messages (created_at);
CREATE INDEX messages_contact ON messages (contact_id);

-- Every outgoing text is recorded here before it is sent. status: pending (recorded, not yet tried),
-- sending (a send is under way: a crash leaves it here and it becomes unknown), sent, failed (the
-- platform refused it; safe to retry), unknown (may have been delivered: never resent without
-- --force), cancelled.
CREATE TABLE outbox (
  id                   INTEGER PRIMARY KEY,
  account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id      INTEGER REFERENCES conversations (id) ON DELETE SET NULL,
  contact_id           INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
  kind                 TEXT NOT NULL DEFAULT 'reply' CHECK (kind IN ('reply', 'send', 'bot', 'rule')),
  channel              TEXT NOT NULL CHECK (channel IN ('dm', 'comment', 'mention')),
  thread_key           TEXT NOT NULL,
  to_user              TEXT NOT NULL,
  reply_to             TEXT,
  text                 TEXT NOT NULL,
  agent                TEXT,
  status               TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown', 'cancelled')),
  attempts             INTEGER NOT NULL DEFAULT 0,
  last_error           TEXT,
  platform_message_id  TEXT,
  message_id           INTEGER REFERENCES messages (id) ON DELETE SET NULL,
  run_key              TEXT,                       -- a resumable `svc send` run: one row per contact
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  sent_at              INTEGER,
  UNIQUE (run_key, contact_id)
);
CREATE INDEX outbox_status ON outbox (status);

-- Every change to a conversation or contact: who, when, what.
CREATE TABLE audit_log (
  id               INTEGER PRIMARY KEY,
  at               INTEGER NOT NULL,
  agent            TEXT,
  action           TEXT NOT NULL,
  conversation_id  INTEGER REFERENCES conversations (id) ON DELETE CASCADE,
  contact_id       INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
  detail           TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_conversation ON audit_log (conversation_id, at);

CREATE TABLE templates (
  name        TEXT PRIMARY KEY,
  text        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- Automation: which messages the rules already processed (exactly once), saved watches, the
-- knowledge base and the brand guard.
CREATE TABLE rule_runs (
  message_id  INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  applied_at  INTEGER NOT NULL,
  result      TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE watches (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL UNIQUE,
  query            TEXT NOT NULL,
  tag              TEXT,
  last_message_id  INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL
);

CREATE TABLE kb_entries (
  id          INTEGER PRIMARY KEY,
  question    TEXT NOT NULL,
  phrasings   TEXT NOT NULL DEFAULT '[]',
  answer      TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE guard_terms (
  term        TEXT PRIMARY KEY,
  is_regex    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
)SQL";

// Version 2: a per-account request budget (requests per second shared by every svc process on this
// state file; NULL = the platform's default, 0 = no limit).
constexpr std::string_view k_v2 = R"SQL(
ALTER TABLE accounts ADD COLUMN request_rate REAL CHECK (request_rate IS NULL OR request_rate >= 0);
)SQL";

// Version 3: what each agent last saw of a conversation (`svc show`), so that a reply to a message someone
// else answered since then asks for --force.
constexpr std::string_view k_v3 = R"SQL(
CREATE TABLE conversation_views (
  conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  agent            TEXT NOT NULL,
  last_message_id  INTEGER NOT NULL DEFAULT 0,
  last_outbox_id   INTEGER NOT NULL DEFAULT 0,
  seen_at          INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, agent)
);
CREATE INDEX outbox_conversation ON outbox (conversation_id);
)SQL";

// Version 4: what `svc tag sync` last agreed on with a platform: per mapped tag, the contacts that carried
// it on both sides after the sync. The next sync tells from it which side changed a membership since (one
// removed here is untagged there; one added there is pulled here). Remapping a tag forgets its members.
constexpr std::string_view k_v4 = R"SQL(
CREATE TABLE platform_tag_members (
  account_id  INTEGER NOT NULL,
  tag_id      INTEGER NOT NULL,
  contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  synced_at   INTEGER NOT NULL,
  PRIMARY KEY (account_id, tag_id, contact_id),
  FOREIGN KEY (account_id, tag_id) REFERENCES platform_tags (account_id, tag_id) ON DELETE CASCADE
);
)SQL";

// Version 5: full-text search (svc search, svc watch; lib/svc/store/search_index.hpp). One FTS5 table
// per source, both with the trigram tokenizer: it finds any substring of 3+ characters, which is what
// CJK text needs (no spaces between words), and Latin words too, whose boundaries lib/svc/history checks
// on the few candidates instead of keeping a second (unicode61) index: half the work per stored message
// (pull throughput), and "iPhone" is still found in "买了iPhone", which unicode61 would read as one token.
// Shorter terms (发货 is 2 characters) are LIKE checks on the same rows. The tables keep their own copy
// of the text (small next to messages.raw) so such a scan reads only text. Triggers keep them in sync,
// also through cascades (unbind --purge); the existing rows are indexed here. Watches (v1) gain the
// channels they cover and the time of their last run.
constexpr std::string_view k_v5 = R"SQL(
CREATE VIRTUAL TABLE message_fts USING fts5 (text, tokenize = 'trigram');
CREATE TRIGGER message_fts_insert AFTER INSERT ON messages WHEN new.text <> '' BEGIN
  INSERT INTO message_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER message_fts_delete AFTER DELETE ON messages WHEN old.text <> '' BEGIN
  DELETE FROM message_fts WHERE rowid = old.id;
END;
CREATE TRIGGER message_fts_update AFTER UPDATE OF text ON messages WHEN old.text IS NOT new.text BEGIN
  DELETE FROM message_fts WHERE rowid = old.id;
  INSERT INTO message_fts (rowid, text) SELECT new.id, new.text WHERE new.text <> '';
END;
INSERT INTO message_fts (rowid, text) SELECT id, text FROM messages WHERE text <> '';

CREATE VIRTUAL TABLE contact_fts USING fts5 (name, username, tokenize = 'trigram');
CREATE TRIGGER contact_fts_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO contact_fts (rowid, name, username) VALUES (new.id, coalesce(new.name, ''), coalesce(new.username, ''));
END;
CREATE TRIGGER contact_fts_delete AFTER DELETE ON contacts BEGIN
  DELETE FROM contact_fts WHERE rowid = old.id;
END;
-- Every pulled page upserts its contacts; only a real change of name re-indexes one.
CREATE TRIGGER contact_fts_update AFTER UPDATE OF name, username ON contacts
  WHEN old.name IS NOT new.name OR old.username IS NOT new.username BEGIN
  UPDATE contact_fts SET name = coalesce(new.name, ''), username = coalesce(new.username, '') WHERE rowid = new.id;
END;
INSERT INTO contact_fts (rowid, name, username) SELECT id, coalesce(name, ''), coalesce(username, '') FROM contacts;

ALTER TABLE watches ADD COLUMN channels TEXT NOT NULL DEFAULT '[]';
ALTER TABLE watches ADD COLUMN last_run_at INTEGER;
)SQL";

// Version 6: the rules engine (svc rules apply). rule_runs (version 1) marks each inbound message the rules
// processed, in the transaction of its actions. A rule's notify command runs after that commit, so it gets a
// row of its own: pending (committed, not started: a later run starts it), running (started by process pid:
// if that process died, the outcome is unknown and the row becomes interrupted, reported and never rerun),
// done or failed (exit status recorded).
constexpr std::string_view k_v6 = R"SQL(
CREATE TABLE rule_notifications (
  id           INTEGER PRIMARY KEY,
  message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  rule         TEXT NOT NULL,
  command      TEXT NOT NULL,                  -- JSON array: argv, run without a shell
  payload      TEXT NOT NULL,                  -- JSON object given on stdin
  status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'running', 'done', 'failed', 'interrupted')),
  pid          INTEGER,
  exit_code    INTEGER,
  error        TEXT,
  created_at   INTEGER NOT NULL,
  started_at   INTEGER,
  finished_at  INTEGER
);
CREATE INDEX rule_notifications_status ON rule_notifications (status);
CREATE INDEX rule_notifications_message ON rule_notifications (message_id);
)SQL";

// Version 7: the knowledge-base bot, welcome/menu and the brand guard (v1 has kb_entries and
// guard_terms). Each question and each alternative phrasing is one row of two FTS5 indexes over its
// normalised text (lib/svc/store/knowledge_base.hpp): kb_fts by trigrams (substrings of 3+ characters,
// any script) and kb_fts_cjk by CJK character bigrams (the 1-2 character words trigrams cannot see).
// bot_runs records what the bot did with each inbound message: it decides a message once, and never
// answers twice in a row.
constexpr std::string_view k_v7 = R"SQL(
ALTER TABLE kb_entries ADD COLUMN menu INTEGER CHECK (menu IS NULL OR menu > 0);
ALTER TABLE kb_entries ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX kb_entries_menu ON kb_entries (menu) WHERE menu IS NOT NULL;
CREATE VIRTUAL TABLE kb_fts USING fts5 (text, entry_id UNINDEXED, tokenize = 'trigram');
CREATE VIRTUAL TABLE kb_fts_cjk USING fts5 (text, entry_id UNINDEXED, tokenize = 'unicode61');
CREATE VIRTUAL TABLE kb_fts_terms USING fts5vocab (kb_fts, 'row');
CREATE VIRTUAL TABLE kb_fts_cjk_terms USING fts5vocab (kb_fts_cjk, 'row');
CREATE TABLE kb_settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
CREATE TABLE bot_runs (
  message_id       INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  outcome          TEXT NOT NULL CHECK (outcome IN ('answered', 'handed_over', 'welcomed', 'menu')),
  entry_id         INTEGER,
  confidence       REAL,
  outbox_id        INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
  detail           TEXT NOT NULL DEFAULT '',
  at               INTEGER NOT NULL
);
CREATE INDEX bot_runs_conversation ON bot_runs (conversation_id, message_id);
)SQL";

// Version 8: message text is indexed when it is searched, not when it is stored (pull throughput:
// FTS5 writes a segment and merges at every commit, so indexing page by page cost a pull about half
// again its CPU; one bulk insert at search time is several times cheaper). message_fts_state holds the
// high-water mark: every message with id <= indexed_through is in message_fts with its current text,
// none above it is. Readers bring the index up to date first (lib/svc/store/search_backlog.hpp: one
// INSERT ... SELECT of the ids above the mark, and the mark moves to max(id), under BEGIN IMMEDIATE).
// The triggers keep the invariant below the mark: an edit or delete there updates the index at once,
// and an insert there (a rowid reused after the newest messages were purged, or an explicit id) is
// indexed at once too. Above the mark they do nothing. Existing files are already current: the mark
// starts at their newest message.
constexpr std::string_view k_v8 = R"SQL(
CREATE TABLE message_fts_state (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_through  INTEGER NOT NULL
);
INSERT INTO message_fts_state (id, indexed_through) SELECT 1, coalesce(max(id), 0) FROM messages;
DROP TRIGGER message_fts_insert;
DROP TRIGGER message_fts_delete;
DROP TRIGGER message_fts_update;
CREATE TRIGGER message_fts_insert AFTER INSERT ON messages
  WHEN new.text <> '' AND new.id <= (SELECT indexed_through FROM message_fts_state WHERE id = 1) BEGIN
  INSERT INTO message_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER message_fts_delete AFTER DELETE ON messages
  WHEN old.text <> '' AND old.id <= (SELECT indexed_through FROM message_fts_state WHERE id = 1) BEGIN
  DELETE FROM message_fts WHERE rowid = old.id;
END;
CREATE TRIGGER message_fts_update AFTER UPDATE OF text ON messages
  WHEN old.text IS NOT new.text AND old.id <= (SELECT indexed_through FROM message_fts_state WHERE id = 1) BEGIN
  DELETE FROM message_fts WHERE rowid = old.id;
  INSERT INTO message_fts (rowid, text) SELECT new.id, new.text WHERE new.text <> '';
END;
)SQL";

constexpr std::array<std::string_view, 8> k_migrations = {k_v1, k_v2, k_v3, k_v4, k_v5, k_v6, k_v7, k_v8};

} // namespace

std::span<const std::string_view>
migrations()
{
  return k_migrations;
}

} // namespace svc::store
