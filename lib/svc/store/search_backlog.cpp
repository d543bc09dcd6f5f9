// SearchBacklog on SQLite: the messages above message_fts_state.indexed_through (migration v8, which
// describes the invariant the triggers keep below it).
#include <svc/store/search_backlog.hpp>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

constexpr const char* k_mark = "(SELECT indexed_through FROM message_fts_state WHERE id = 1)";

class SqliteSearchBacklog final : public SearchBacklog
{
public:
  SqliteSearchBacklog(Store& store, Db& db) : m_store(store), m_db(db) {}

  Result<std::int64_t> pending() override
  {
    return guarded([&]() -> Result<std::int64_t> {
      Stmt s = m_db.prepare(std::string("SELECT count(*) FROM messages WHERE id > ") + k_mark);
      s.step();
      return s.col_int(0);
    });
  }

  Result<std::int64_t> catch_up() override
  {
    SVC_TRY(behind, any_pending());
    if (!behind)
      return std::int64_t{0};
    std::int64_t indexed = 0;
    // Not synced on commit: the index and its mark are derived data and roll back together.
    SVC_CHECK(m_store.transaction([&]() -> Status {
      return guarded([&]() -> Status {
        // Read again under the write lock: another process may have caught up in between.
        m_db.prepare(std::string("INSERT INTO message_fts (rowid, text) SELECT id, text FROM messages"
                                 " WHERE id > ") + k_mark + " AND text <> '' ORDER BY id")
          .exec();
        indexed = m_db.changes();
        // max(id) can be below the mark (the newest messages were deleted): the next ids reuse theirs
        // and the insert trigger indexes them at once, which is right either way.
        m_db.exec("UPDATE message_fts_state SET indexed_through = max(indexed_through,"
                  " (SELECT coalesce(max(id), 0) FROM messages)) WHERE id = 1");
        return {};
      });
    }, false));
    return indexed;
  }

  Result<std::optional<std::int64_t>> catch_up_or_mark() override
  {
    // sqlite3_db_readonly() is 1 for a connection opened read-only, and for one that asked to read
    // and write a file it could only open for reading (SQLite falls back silently: EACCES, EROFS).
    if (sqlite3_db_readonly(m_db.handle(), "main") != 1) {
      SVC_CHECK(catch_up());
      return std::optional<std::int64_t>();
    }
    return guarded([&]() -> Result<std::optional<std::int64_t>> {
      Stmt s = m_db.prepare("SELECT indexed_through, EXISTS (SELECT 1 FROM messages WHERE id > indexed_through)"
                            " FROM message_fts_state WHERE id = 1");
      s.step();
      if (s.col_int(1) == 0)
        return std::optional<std::int64_t>();
      return std::optional<std::int64_t>(s.col_int(0));
    });
  }

private:
  Result<bool> any_pending()
  {
    return guarded([&]() -> Result<bool> {
      Stmt s = m_db.prepare(std::string("SELECT EXISTS (SELECT 1 FROM messages WHERE id > ") + k_mark + ")");
      s.step();
      return s.col_int(0) != 0;
    });
  }

  Store& m_store;
  Db& m_db;
};

} // namespace

std::unique_ptr<SearchBacklog>
search_backlog(Store& store)
{
  // The only Store there is; the cast stays here, inside lib/svc/store, which owns both types.
  return std::make_unique<SqliteSearchBacklog>(store, dynamic_cast<SqliteStore&>(store).db());
}

} // namespace svc::store
