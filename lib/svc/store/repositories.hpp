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

} // namespace svc::store
