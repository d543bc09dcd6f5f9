// A small RAII layer over the SQLite C API: Db (a connection), Stmt (a prepared statement that
// finalizes itself), Txn (BEGIN IMMEDIATE that rolls back unless committed). Only lib/svc/store uses
// it; everything else goes through the repository interfaces in store.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include <svc/core/result.hpp>

namespace svc::store {

// Turns an SQLite result code into svc's error: BUSY/LOCKED -> state (exit 7, "locked"),
// CORRUPT/NOTADB -> state ("corrupt"), anything else -> failed.
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

class Stmt
{
public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql); // throws StoreException on a bad statement (a bug)
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binding is 1-based as in SQLite; each returns *this so calls chain.
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind_null(int i);
  template <class T>
  Stmt& bind(int i, const std::optional<T>& v)
  {
    return v ? bind(i, *v) : bind_null(i);
  }
  // Binds an empty string as NULL (optional text columns).
  Stmt& bind_text_or_null(int i, std::string_view v) { return v.empty() ? bind_null(i) : bind(i, v); }

  // Steps once: true with a row, false when done. Throws StoreException on an error.
  bool step();
  // Steps to completion (for statements that return no rows).
  void exec();
  void reset();

  std::int64_t col_int(int i) const;
  double col_double(int i) const;
  std::string col_text(int i) const; // "" for NULL
  bool col_null(int i) const;
  std::optional<std::int64_t> col_opt_int(int i) const;

private:
  sqlite3* m_db = nullptr;
  sqlite3_stmt* m_stmt = nullptr;
};

// Thrown inside the store only and turned into an Error at the repository boundary: SQLite errors in
// the middle of a transaction are rare and always abort the whole unit of work.
struct StoreException {
  Error error;
  bool busy = false; // SQLITE_BUSY/LOCKED: worth another try until the busy deadline
};

// Throws the StoreException for an SQLite result code.
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view what);

class Db
{
public:
  Db() = default;
  explicit Db(sqlite3* db) : m_db(db) {}
  Db(Db&& o) noexcept : m_db(o.m_db) { o.m_db = nullptr; }
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  sqlite3* handle() const { return m_db; }
  // Runs one or more statements without results; throws StoreException on failure.
  void exec(std::string_view sql);
  Stmt prepare(std::string_view sql) { return Stmt(m_db, sql); }
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(m_db); }
  int changes() const { return sqlite3_changes(m_db); }

private:
  sqlite3* m_db = nullptr;
};

// BEGIN IMMEDIATE in the constructor (the write lock up front, so two writers queue on the busy
// timeout instead of failing on a lock upgrade); ROLLBACK in the destructor unless commit() ran.
class Txn
{
public:
  explicit Txn(Db& db); // throws StoreException (kind state when locked past the busy timeout)
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  ~Txn();
  void commit();

private:
  Db& m_db;
  bool m_done = false;
};

} // namespace svc::store
