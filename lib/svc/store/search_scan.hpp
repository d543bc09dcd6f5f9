// The candidate scan of `svc search` (SqliteSearchIndex::from_index), newest first. SQLite runs a
// statement on one core; a scan that reads the text of every candidate (a 1-2 character term is
// checked there) costs tens of milliseconds over a million messages, so a long one is split by id:
// the older half is read on a second, read-only connection in a thread while the caller's connection
// reads the newer half, and the two come out as one stream in the order a single statement gives.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <svc/store/sqlite.hpp>

namespace svc::store {

struct Candidate {
  std::int64_t id = 0;
  double score = 0;
};

// A candidate statement: ?1 the FTS5 match (NULL for none), ?2 and ?3 the exclusive id bounds, ?4...
// the short terms' patterns; it returns (id, score) rows newest first.
struct CandidateQuery {
  std::string sql;
  std::string match; // "" for none
  std::vector<std::string> patterns;
};

void bind_candidates(Stmt& s, const CandidateQuery& q, std::int64_t above, std::int64_t below);

// What every connection a search reads through needs: svc_contains() and the memory map.
void prepare_search_connection(sqlite3* db);

// The ids (above, below) of `q`, read in a thread on a read-only connection of its own to `path`.
class OlderHalf
{
public:
  OlderHalf(const std::filesystem::path& path, CandidateQuery q, std::int64_t above, std::int64_t below);
  ~OlderHalf(); // stops the thread if it still runs, and joins it
  OlderHalf(const OlderHalf&) = delete;
  OlderHalf& operator=(const OlderHalf&) = delete;

  // Waits for the thread: its candidates newest first, or nullopt when it could not read them (the
  // file could not be opened a second time, say): the caller then reads the range itself.
  std::optional<std::vector<Candidate>> take();

private:
  void run(std::filesystem::path path, CandidateQuery q, std::int64_t above, std::int64_t below);

  std::mutex m_mutex;                // with m_wake: the start-up wait
  std::condition_variable m_wake;
  std::atomic<bool> m_stop{false};
  bool m_ok = false;
  std::vector<Candidate> m_found;
  std::thread m_thread;              // last: started once the members above exist
};

// Newest-first candidates from the caller's statement over the newer ids, then the older half's.
class CandidateStream
{
public:
  // `older`: null when the scan is not split.
  CandidateStream(Db& db, const CandidateQuery& q, std::int64_t above, std::int64_t below,
                  std::unique_ptr<OlderHalf> older, std::int64_t split_at);
  std::optional<Candidate> next();

private:
  Db& m_db;
  const CandidateQuery& m_query;
  std::int64_t m_above;
  Stmt m_stmt;
  std::unique_ptr<OlderHalf> m_older;
  std::int64_t m_split_at;
  std::vector<Candidate> m_rest;
  std::size_t m_rest_at = 0;
  bool m_stmt_done = false;
};

} // namespace svc::store
