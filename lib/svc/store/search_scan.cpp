#include <svc/store/search_scan.hpp>

#include <chrono>
#include <cstring>

namespace svc::store {

namespace {

constexpr std::chrono::milliseconds k_start_after{3};

// Whether `needle` occurs in `text` (bytes). memchr() for the needle's last byte, then a compare: in CJK
// text a needle's last byte is a UTF-8 continuation byte (64 values), rarely met, where its first is a
// lead byte that recurs every third byte; glibc's memmem() costs several times more on such short texts.
bool
contains_bytes(const char* text, std::size_t n, const char* needle, std::size_t m)
{
  if (m == 0)
    return true;
  if (m > n)
    return false;
  const char last = needle[m - 1];
  const char* end = text + n;
  for (const char* p = text + m - 1; p < end; ++p) {
    p = static_cast<const char*>(std::memchr(p, last, static_cast<std::size_t>(end - p)));
    if (p == nullptr)
      return false;
    if (std::memcmp(p - (m - 1), needle, m - 1) == 0)
      return true;
  }
  return false;
}

// svc_contains(text, term): 1 when term is a substring of text (bytes), NULL when either is NULL. SQLite's
// instr() walks the text a character at a time; a short term is checked on every candidate of the long
// ones (tens of thousands in a million messages).
void
contains_function(sqlite3_context* ctx, int, sqlite3_value** argv)
{
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const auto* term = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  if (text == nullptr || term == nullptr)
    return sqlite3_result_null(ctx);
  bool found = contains_bytes(text, static_cast<std::size_t>(sqlite3_value_bytes(argv[0])), term,
                              static_cast<std::size_t>(sqlite3_value_bytes(argv[1])));
  sqlite3_result_int(ctx, found ? 1 : 0);
}

} // namespace

void
bind_candidates(Stmt& s, const CandidateQuery& q, std::int64_t above, std::int64_t below)
{
  if (q.match.empty())
    s.bind_null(1);
  else
    s.bind(1, q.match);
  s.bind(2, above).bind(3, below);
  for (std::size_t i = 0; i < q.patterns.size(); ++i)
    s.bind(static_cast<int>(i) + 4, q.patterns[i]);
}

void
prepare_search_connection(sqlite3* db)
{
  // A query reads index and text pages all over the file: memory-mapped, a fresh process reads them
  // without a pread (and a copy) each, which halves a cold query over a million messages. Only for
  // search: mapped pages count in a process's resident memory, and an export streams the whole file.
  // 0x7fff0000 is SQLite's default ceiling for it.
  sqlite3_exec(db, "PRAGMA mmap_size = 2147418112", nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(db, "svc_contains", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                             contains_function, nullptr, nullptr, nullptr);
}

OlderHalf::OlderHalf(const std::filesystem::path& path, CandidateQuery q, std::int64_t above, std::int64_t below)
  : m_thread(&OlderHalf::run, this, path, std::move(q), above, below)
{
}

OlderHalf::~OlderHalf()
{
  {
    std::lock_guard lock(m_mutex);
    m_stop = true; // seen by run()'s wait, or by the progress handler within a thousand VM steps
  }
  m_wake.notify_one();
  if (m_thread.joinable())
    m_thread.join();
}

std::optional<std::vector<Candidate>>
OlderHalf::take()
{
  if (m_thread.joinable())
    m_thread.join();
  if (!m_ok)
    return std::nullopt;
  return std::move(m_found);
}

void
OlderHalf::run(std::filesystem::path path, CandidateQuery q, std::int64_t above, std::int64_t below)
{
  // Most searches that may split end in a few milliseconds, the newer half alone filling --limit: the
  // thread waits that long before it opens its connection (a millisecond or two, which the caller's
  // destructor would otherwise wait for) and is not needed at all then.
  {
    std::unique_lock lock(m_mutex);
    if (m_wake.wait_for(lock, k_start_after, [this] { return m_stop.load(); }))
      return;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return;
  }
  sqlite3_busy_timeout(db, 5000);
  prepare_search_connection(db);
  // Stopped from the destructor: a progress handler sees the flag (sqlite3_interrupt() would race with
  // a statement about to start, and with the close below).
  sqlite3_progress_handler(
    db, 1000, [](void* stop) { return static_cast<std::atomic<bool>*>(stop)->load() ? 1 : 0; }, &m_stop);
  try {
    Stmt s(db, q.sql);
    bind_candidates(s, q, above, below);
    while (s.step())
      m_found.push_back({s.col_int(0), s.col_double(1)});
    m_ok = true;
  } catch (const StoreException&) {
    m_ok = false; // stopped, or an error the caller's own read will meet and report
  }
  sqlite3_close(db);
}

CandidateStream::CandidateStream(Db& db, const CandidateQuery& q, std::int64_t above, std::int64_t below,
                                 std::unique_ptr<OlderHalf> older, std::int64_t split_at)
  : m_db(db), m_query(q), m_above(above), m_stmt(db.prepare(q.sql)), m_older(std::move(older)), m_split_at(split_at)
{
  bind_candidates(m_stmt, q, m_older ? split_at - 1 : above, below);
}

std::optional<Candidate>
CandidateStream::next()
{
  for (;;) {
    if (!m_stmt_done) {
      if (m_stmt.step())
        return Candidate{m_stmt.col_int(0), m_stmt.col_double(1)};
      m_stmt_done = true;
    }
    if (m_rest_at < m_rest.size())
      return m_rest[m_rest_at++];
    if (!m_older)
      return std::nullopt;
    auto older = m_older->take();
    m_older.reset();
    if (older) {
      m_rest = std::move(*older);
    } else { // the thread could not read its half: read it here, lazily
      m_stmt = m_db.prepare(m_query.sql);
      bind_candidates(m_stmt, m_query, m_above, m_split_at);
      m_stmt_done = false;
    }
  }
}

} // namespace svc::store
