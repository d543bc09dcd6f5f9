// The SQLite repositories besides accounts (internal to lib/svc/store). Each prepares its statements
// once and reuses them (Nix's NarInfoDiskCache::State), which matters for pull throughput.
#pragma once

#include <map>
#include <optional>

#include <svc/store/sqlite.hpp>
#include <svc/store/store.hpp>

namespace svc::store {

// A statement prepared on first use and kept.
class CachedStmt
{
public:
  CachedStmt(Db& db, const char* sql) : m_db(db), m_sql(sql) {}
  Stmt& operator*()
  {
    if (!m_stmt)
      m_stmt.emplace(m_db.prepare(m_sql));
    m_stmt->reset();
    return *m_stmt;
  }

private:
  Db& m_db;
  const char* m_sql;
  std::optional<Stmt> m_stmt;
};

class SqliteMessageRepository final : public MessageRepository
{
public:
  SqliteMessageRepository(Db& db, const Clock& clock, Store& store);
  Result<IngestResult> ingest(const domain::Account& account, const std::string& stream,
                              const std::vector<domain::InboundMessage>& messages, const std::string& cursor,
                              Via via) override;
  Result<std::string> cursor(std::int64_t account_id, const std::string& stream) override;

  // A contact upsert this process committed: what it bound (the profile text names every field and
  // the time it was seen) and the newest inbound time it applied.
  struct UpsertedContact {
    std::int64_t id = 0;
    std::string profile;
    UnixTime last_inbound = 0;
  };

  // What one page already looked up: a page often holds many messages of one author or thread.
  struct PageCache {
    std::map<std::string, std::int64_t> contacts;             // platform user id -> contact id
    std::map<std::string, UnixTime> newest_inbound;             // platform user id -> newest inbound time
    std::map<std::string, std::pair<std::int64_t, bool>> threads; // channel/thread -> id, resolved
    std::map<std::string, UpsertedContact> upserted;            // contact key -> this page's upsert
  };

private:
  bool ingest_one(const domain::Account& account, const domain::InboundMessage& m, Via via, UnixTime now,
                  PageCache& cache);
  std::int64_t upsert_contact(const domain::Account& account, const domain::PlatformUser& author, UnixTime now,
                              PageCache& cache);

  Db& m_db;
  const Clock& m_clock;
  Store& m_store;
  // Contact upserts committed in the second m_upserted_at (a pull stores many pages a second, and an
  // author on several of them): the same upsert again within that second would rewrite the row with the
  // values it holds, so it is skipped. Cleared when the clock moves on, so it stays small.
  UnixTime m_upserted_at = 0;
  std::map<std::string, UpsertedContact> m_upserted; // "account id/platform user id" -> upsert
  CachedStmt m_upsert_contact, m_upsert_conversation, m_insert_message, m_update_inbound,
    m_update_outbound, m_audit, m_put_cursor, m_get_cursor, m_adopt_outbound, m_same_inbound;
};

class SqliteConversationRepository final : public ConversationRepository
{
public:
  explicit SqliteConversationRepository(Db& db) : m_db(db) {}
  Result<std::vector<ConversationRow>> list(const ConversationFilter& filter) override;
  Result<ConversationRow> get(std::int64_t id) override;
  Result<std::vector<MessageRow>> messages(std::int64_t conversation_id) override;

private:
  std::vector<ConversationRow> query(const std::string& where, const std::vector<std::string>& args,
                                     const std::string& order, int limit);
  Db& m_db;
};

class SqliteOutboxRepository final : public OutboxRepository
{
public:
  SqliteOutboxRepository(Db& db, const Clock& clock, Store& store) : m_db(db), m_clock(clock), m_store(store) {}
  Result<std::int64_t> record(const OutboxItem& item) override;
  Result<OutboxItem> get(std::int64_t id) override;
  Result<std::vector<OutboxItem>> list(const std::string& status) override;
  Status begin_send(std::int64_t id, bool force) override;
  Status mark_sent(std::int64_t id, const domain::SendResult& result) override;
  Status mark_failed(std::int64_t id, const std::string& error, bool outcome_unknown) override;
  Status cancel(std::int64_t id) override;

private:
  std::vector<OutboxItem> query(const std::string& where, const std::string& arg);
  Db& m_db;
  const Clock& m_clock;
  Store& m_store;
};

class SqliteTokenRepository final : public TokenRepository
{
public:
  explicit SqliteTokenRepository(Db& db) : m_db(db) {}
  Result<std::optional<std::pair<std::string, UnixTime>>> get(std::int64_t account_id) override;
  Status put(std::int64_t account_id, const std::string& token, UnixTime expires_at) override;
  Status clear(std::int64_t account_id) override;

private:
  Db& m_db;
};

class SqliteBudgetRepository final : public BudgetRepository
{
public:
  explicit SqliteBudgetRepository(Db& db) : m_db(db) {}
  Result<std::optional<Bucket>> get(std::int64_t account_id, const std::string& name) override;
  Status put(std::int64_t account_id, const std::string& name, const Bucket& bucket) override;

private:
  Db& m_db;
};

class SqliteTeamRepository final : public TeamRepository
{
public:
  SqliteTeamRepository(Db& db, const Clock& clock, Store& store) : m_db(db), m_clock(clock), m_store(store) {}
  Result<AgentRow> add_agent(const AgentRow& agent) override;
  Result<std::vector<AgentRow>> agents() override;
  Result<AgentRow> agent(const std::string& name) override;
  Status remove_agent(const std::string& name, const std::string& by) override;
  Status set_agent_status(const std::string& name, const std::string& status) override;
  Result<GroupRow> add_group(const GroupRow& group) override;
  Result<std::vector<GroupRow>> groups() override;
  Result<GroupRow> group(const std::string& name) override;

private:
  Db& m_db;
  const Clock& m_clock;
  Store& m_store;
};

class SqliteWorkflowRepository final : public WorkflowRepository
{
public:
  SqliteWorkflowRepository(Db& db, const Clock& clock, Store& store) : m_db(db), m_clock(clock), m_store(store) {}
  Result<std::optional<Claim>> claim_of(std::int64_t conversation_id) override;
  Result<Claim> claim(std::int64_t conversation_id, const std::string& agent, std::int64_t ttl_s,
                      bool force) override;
  Status release(std::int64_t conversation_id, const std::string& agent, bool force) override;
  Status require_not_claimed_by_other(std::int64_t conversation_id, const std::string& agent, bool force,
                                      const std::string& action) override;
  Status assign(std::int64_t conversation_id, const std::string& agent, const std::string& by,
                const std::string& detail_json) override;
  Status transfer(std::int64_t conversation_id, const std::string& group, const std::string& note,
                  const std::string& by) override;
  Status set_status(std::int64_t conversation_id, const std::string& status, const std::string& by) override;
  Result<std::vector<AuditEntry>> history(std::int64_t conversation_id) override;
  Status mark_seen(std::int64_t conversation_id, const std::string& agent) override;
  Status require_unanswered_since_seen(std::int64_t conversation_id, const std::string& agent, bool force) override;
  Result<RoutingFacts> routing_facts(std::int64_t conversation_id) override;
  Result<std::vector<std::int64_t>> unassigned() override;
  Status audit(std::int64_t conversation_id, const std::string& agent, const std::string& action,
               const std::string& detail_json) override;

private:
  Db& m_db;
  const Clock& m_clock;
  Store& m_store;
};

// Owned by the templates work: lib/svc/store/templates.cpp.
class SqliteTemplateRepository final : public TemplateRepository
{
public:
  SqliteTemplateRepository(Db& db, const Clock& clock) : m_db(db), m_clock(clock) {}
  Status put(const std::string& name, const std::string& text) override;
  Result<std::vector<TemplateRow>> list() override;
  Result<TemplateRow> get(const std::string& name) override;
  Status remove(const std::string& name) override;

private:
  Db& m_db;
  const Clock& m_clock;
};

// Owned by the outbound (`svc send`) work: lib/svc/store/outreach.cpp.
class SqliteOutreachRepository final : public OutreachRepository
{
public:
  SqliteOutreachRepository(Db& db, const Clock& clock, Store& store) : m_db(db), m_clock(clock), m_store(store) {}
  Result<std::vector<OutreachContact>> tagged(std::int64_t account_id, const std::string& tag) override;
  Result<OutreachContact> find(std::int64_t account_id, const std::string& ref, bool platform_id_only) override;
  Result<OutreachContact> contact(std::int64_t contact_id) override;
  Result<std::vector<OutboxItem>> run(const std::string& run_key) override;
  Result<OutboxItem> record_once(const OutboxItem& item) override;
  Status mark_sent(std::int64_t outbox_id, const domain::SendResult& result,
                   std::optional<std::int64_t> conversation_id) override;

private:
  std::vector<OutreachContact> query(const std::string& join_where, const std::vector<std::string>& args);
  Db& m_db;
  const Clock& m_clock;
  Store& m_store;
};

// Owned by the contacts work: lib/svc/store/contacts.cpp.
class SqliteContactRepository final : public ContactRepository
{
public:
  SqliteContactRepository(Db& db, const Clock& clock, Store& store) : m_db(db), m_clock(clock), m_store(store) {}
  Result<std::vector<ContactRow>> list(const ContactFilter& filter) override;
  Result<ContactRow> get(std::int64_t id) override;
  Result<ContactRow> find(const std::string& account, const std::string& platform_user_id) override;
  Result<std::vector<ContactRow>> identities(std::int64_t id) override;
  Result<std::vector<TimelineEntry>> timeline(std::int64_t id) override;
  Result<std::vector<ContactNote>> notes(std::int64_t id) override;
  Result<std::vector<ContactTag>> tags(std::int64_t id) override;
  Result<std::int64_t> refresh(const domain::Account& account, const domain::PlatformUser& user,
                               const std::string& by) override;
  Result<std::int64_t> link(std::int64_t a, std::int64_t b, const std::string& by) override;
  Result<bool> unlink(std::int64_t id, const std::string& by) override;
  Status set_attributes(std::int64_t id, const std::map<std::string, std::string>& values,
                        const std::string& by) override;
  Result<std::int64_t> add_note(std::int64_t id, const std::string& text, const std::string& by) override;
  Result<TagChange> add_tags(std::int64_t id, const std::vector<std::string>& tags, const std::string& source,
                             const std::string& by) override;
  Result<TagChange> remove_tags(std::int64_t id, const std::vector<std::string>& tags,
                                const std::string& by) override;
  Result<std::vector<TagCount>> tag_counts() override;
  Result<ImportReport> import(const std::vector<ImportRow>& rows, bool skip_bad, const std::string& by) override;

private:
  std::vector<ContactRow> query(const std::string& where, const std::vector<std::string>& args,
                                const std::string& tail = "");
  void audit(std::int64_t contact_id, const std::string& by, const std::string& action, const nlohmann::json& detail);
  std::int64_t tag_id(const std::string& name);
  Db& m_db;
  const Clock& m_clock;
  Store& m_store;
};

// Owned by the tag sync work: lib/svc/store/tag_sync.cpp.
class SqliteTagSyncRepository final : public TagSyncRepository
{
public:
  SqliteTagSyncRepository(Db& db, const Clock& clock, Store& store) : m_db(db), m_clock(clock), m_store(store) {}
  Result<TagSyncSnapshot> snapshot(std::int64_t account_id) override;
  Result<std::int64_t> ensure_tag(const std::string& name) override;
  Status map(std::int64_t account_id, std::int64_t tag_id, const std::string& platform_tag_id) override;
  Status unmap(std::int64_t account_id, std::int64_t tag_id) override;
  Status pull(std::int64_t tag_id, const std::vector<std::int64_t>& contact_ids) override;
  Status drop(std::int64_t tag_id, const std::vector<std::int64_t>& contact_ids) override;
  Status set_synced(std::int64_t account_id, std::int64_t tag_id, const std::vector<std::int64_t>& contact_ids,
                    bool agreed) override;
  Status touch(std::int64_t account_id) override;

private:
  Db& m_db;
  const Clock& m_clock;
  [[maybe_unused]] Store& m_store;
};

} // namespace svc::store
