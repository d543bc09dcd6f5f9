#include <svc/store/sqlite.hpp>

namespace svc::store {

Error
sqlite_error(sqlite3* db, int rc, std::string_view what)
{
  int primary = rc & 0xff;
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return make_error(ErrorKind::state, "the state file is locked by another process ({})", what)
      .with_hint("another svc is writing; retry, or raise SVC_BUSY_TIMEOUT (e.g. 30s)");
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    return make_error(ErrorKind::state, "the state file is corrupt ({}: {})", what, detail)
      .with_hint("run `svc db check`; restore the file from a backup if it fails");
  if (primary == SQLITE_FULL)
    return make_error(ErrorKind::state, "the disk is full ({})", what);
  if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM)
    return make_error(ErrorKind::state, "cannot write the state file ({}: {})", what, detail)
      .with_hint("check the file's owner and permissions");
  return make_error(ErrorKind::failed, "database error in {}: {}", what, detail);
}

void
throw_sqlite(sqlite3* db, int rc, std::string_view what)
{
  int primary = rc & 0xff;
  throw StoreException{sqlite_error(db, rc, what), primary == SQLITE_BUSY || primary == SQLITE_LOCKED};
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : m_db(db)
{
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                              &m_stmt, nullptr);
  if (rc != SQLITE_OK)
    throw_sqlite(db, rc, "prepare");
}

Stmt::Stmt(Stmt&& o) noexcept : m_db(o.m_db), m_stmt(o.m_stmt)
{
  o.m_stmt = nullptr;
}

Stmt&
Stmt::operator=(Stmt&& o) noexcept
{
  if (this != &o) {
    sqlite3_finalize(m_stmt);
    m_db = o.m_db;
    m_stmt = o.m_stmt;
    o.m_stmt = nullptr;
  }
  return *this;
}

Stmt::~Stmt()
{
  sqlite3_finalize(m_stmt);
}

Stmt&
Stmt::bind(int i, std::int64_t v)
{
  sqlite3_bind_int64(m_stmt, i, v);
  return *this;
}

Stmt&
Stmt::bind(int i, double v)
{
  sqlite3_bind_double(m_stmt, i, v);
  return *this;
}

Stmt&
Stmt::bind(int i, std::string_view v)
{
  sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt&
Stmt::bind_null(int i)
{
  sqlite3_bind_null(m_stmt, i);
  return *this;
}

bool
Stmt::step()
{
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  sqlite3_reset(m_stmt);
  throw_sqlite(m_db, rc, "step");
}

void
Stmt::exec()
{
  while (step()) {
  }
  reset();
}

void
Stmt::reset()
{
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

std::int64_t
Stmt::col_int(int i) const
{
  return sqlite3_column_int64(m_stmt, i);
}

double
Stmt::col_double(int i) const
{
  return sqlite3_column_double(m_stmt, i);
}

std::string
Stmt::col_text(int i) const
{
  const auto* p = sqlite3_column_text(m_stmt, i);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(m_stmt, i)) : std::string();
}

bool
Stmt::col_null(int i) const
{
  return sqlite3_column_type(m_stmt, i) == SQLITE_NULL;
}

std::optional<std::int64_t>
Stmt::col_opt_int(int i) const
{
  if (col_null(i))
    return std::nullopt;
  return col_int(i);
}

Db&
Db::operator=(Db&& o) noexcept
{
  if (this != &o) {
    sqlite3_close_v2(m_db);
    m_db = o.m_db;
    o.m_db = nullptr;
  }
  return *this;
}

Db::~Db()
{
  sqlite3_close_v2(m_db);
}

void
Db::exec(std::string_view sql)
{
  std::string owned(sql);
  char* msg = nullptr;
  int rc = sqlite3_exec(m_db, owned.c_str(), nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK)
    throw_sqlite(m_db, rc, "exec");
}

Txn::Txn(Db& db) : m_db(db)
{
  m_db.exec("BEGIN IMMEDIATE");
}

Txn::~Txn()
{
  if (!m_done)
    sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void
Txn::commit()
{
  m_db.exec("COMMIT");
  m_done = true;
}

} // namespace svc::store
