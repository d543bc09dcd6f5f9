#include <svc/store/sqlite_store.hpp>

#include <svc/store/migrations.hpp>

namespace svc::store {

SqliteStore::SqliteStore(Db db, std::filesystem::path path, const Clock& clock, int migrated_from)
  : m_db(std::move(db)),
    m_path(std::move(path)),
    m_clock(clock),
    m_migrated_from(migrated_from),
    m_accounts(m_db, m_clock),
    m_messages(m_db, m_clock, *this),
    m_conversations(m_db),
    m_outbox(m_db, m_clock, *this),
    m_tokens(m_db),
    m_budgets(m_db),
    m_team(m_db, m_clock, *this),
    m_workflow(m_db, m_clock, *this),
    m_templates(m_db, m_clock),
    m_outreach(m_db, m_clock, *this),
    m_contacts(m_db, m_clock, *this),
    m_tag_sync(m_db, m_clock, *this)
{
}

Status
SqliteStore::transaction(const std::function<Status()>& work, bool durable)
{
  // Nested calls join the outer transaction: a unit of work composed of smaller ones commits once.
  if (m_txn_depth > 0)
    return work();
  if (!durable) {
    // In WAL mode NORMAL skips the fsync of this commit; the next durable commit syncs it too.
    return guarded([&]() -> Status {
      m_db.exec("PRAGMA synchronous = NORMAL");
      Status result = transaction(work, true);
      m_db.exec("PRAGMA synchronous = FULL");
      return result;
    });
  }
  return guarded([&]() -> Status {
    Txn txn(m_db);
    ++m_txn_depth;
    Status result = [&]() -> Status {
      try {
        return work();
      } catch (...) {
        --m_txn_depth;
        throw;
      }
    }();
    --m_txn_depth;
    if (!result)
      return result; // Txn's destructor rolls back
    txn.commit();
    return {};
  });
}

Result<CheckReport>
SqliteStore::check()
{
  return guarded([&]() -> Result<CheckReport> {
    CheckReport report;
    report.known_version = known_schema_version();
    report.schema_version = schema_version();
    {
      Stmt s = m_db.prepare("PRAGMA integrity_check");
      report.integrity = s.step() ? s.col_text(0) : "no answer";
    }
    {
      Stmt s = m_db.prepare("PRAGMA journal_mode");
      report.journal_mode = s.step() ? s.col_text(0) : "";
    }
    for (const char* table : {"accounts", "contacts", "conversations", "messages", "outbox", "tags",
                              "agents", "groups", "audit_log", "templates", "cursors"}) {
      Stmt s = m_db.prepare(std::string("SELECT count(*) FROM ") + table);
      s.step();
      report.counts[table] = s.col_int(0);
    }
    return report;
  });
}

Status
SqliteStore::vacuum()
{
  return guarded([&]() -> Status {
    m_db.exec("VACUUM");
    m_db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return {};
  });
}

int
SqliteStore::schema_version() const
{
  sqlite3_stmt* stmt = nullptr;
  int version = 0;
  if (sqlite3_prepare_v2(m_db.handle(), "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK
      && sqlite3_step(stmt) == SQLITE_ROW)
    version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  return version;
}

int
known_schema_version()
{
  return static_cast<int>(migrations().size());
}

} // namespace svc::store
