// SearchIndex on SQLite FTS5 (tables and triggers: migration v5). Candidates come from the index in
// the order asked for, and each is then read from messages with the filters applied, so a ranked query
// stops reading as soon as the caller has enough.
#include <svc/store/search_index.hpp>

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include <svc/store/search_backlog.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

// Ranked queries rank this many of the newest matches at a time (see messages()).
constexpr std::int64_t k_rank_window = 1000;

// Code points, not bytes: the trigram tokenizer counts characters.
std::size_t
utf8_length(const std::string& s)
{
  std::size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

struct SplitTerms {
  std::string match;              // FTS5 expression of the long terms ("" when none)
  std::vector<std::string> likes; // LIKE patterns of the short ones
};

SplitTerms
split_terms(const std::vector<std::string>& terms)
{
  SplitTerms out;
  for (const auto& t : terms) {
    if (t.empty())
      continue;
    if (utf8_length(t) >= 3) {
      out.match += (out.match.empty() ? "" : " ") + fts_quote(t);
    } else {
      out.likes.push_back(like_pattern(t));
    }
  }
  return out;
}

// "AND text LIKE ?3 ESCAPE '\' AND ..." for parameters first.. (built from a count: no user text).
std::string
like_clauses(std::size_t count, int first, const char* columns_fmt)
{
  std::string sql;
  for (std::size_t i = 0; i < count; ++i)
    sql += " AND " + fmt::format(fmt::runtime(columns_fmt), static_cast<int>(i) + first);
  return sql;
}

constexpr const char* k_hit_columns =
  "SELECT m.id, m.conversation_id, a.name, a.platform, m.channel, m.direction, coalesce(m.author, ''), m.text,"
  " m.platform_message_id, coalesce(m.reply_to, ''), m.created_at, m.contact_id, coalesce(c.name, ''),"
  " coalesce(c.username, ''), coalesce(c.platform_user_id, '')"
  " FROM messages m JOIN accounts a ON a.id = m.account_id LEFT JOIN contacts c ON c.id = m.contact_id";

// The filters on messages m, as parameters ?2..?6.
constexpr const char* k_filters = " AND (?2 IS NULL OR m.account_id = ?2) AND (?3 IS NULL OR m.created_at >= ?3)"
                                  " AND (?4 = 0 OR m.direction = 'in')"
                                  " AND (?5 IS NULL OR m.channel IN (SELECT value FROM json_each(?5)))"
                                  " AND m.id > ?6";

void
bind_filters(Stmt& s, const SearchFilter& f)
{
  s.bind(2, f.account_id).bind(3, f.since).bind(4, f.inbound_only ? 1 : 0);
  if (f.channels.empty())
    s.bind_null(5);
  else
    s.bind(5, nlohmann::json(f.channels).dump());
  s.bind(6, f.after_id);
}

SearchHit
read_hit(const Stmt& s, double score)
{
  SearchHit h;
  h.id = s.col_int(0);
  h.conversation_id = s.col_int(1);
  h.account = s.col_text(2);
  h.platform = s.col_text(3);
  h.channel = s.col_text(4);
  h.direction = s.col_text(5);
  h.author = s.col_text(6);
  h.text = s.col_text(7);
  h.platform_message_id = s.col_text(8);
  h.reply_to = s.col_text(9);
  h.created_at = s.col_int(10);
  h.contact_id = s.col_opt_int(11);
  h.contact_name = s.col_text(12);
  h.contact_username = s.col_text(13);
  h.contact_platform_id = s.col_text(14);
  h.score = score;
  return h;
}

class SqliteSearchIndex final : public SearchIndex
{
public:
  SqliteSearchIndex(Store& store, Db& db) : m_store(store), m_db(db) {}

  Status messages(const std::vector<std::string>& terms, const SearchFilter& filter, SearchOrder order,
                  const std::function<bool(const SearchHit&)>& visit) override
  {
    return guarded([&]() -> Status {
      SplitTerms split = split_terms(terms);
      if (split.match.empty() && split.likes.empty())
        return {};
      SVC_CHECK(search_backlog(m_store)->catch_up()); // messages are indexed when first searched (v8)
      // ?1 the match (or unused), ?2 the high-water mark, ?3 the upper bound (a window's), ?4... the
      // LIKE patterns.
      std::string where = split.match.empty() ? " FROM message_fts WHERE ?1 IS NULL"
                                              : " FROM message_fts WHERE message_fts MATCH ?1";
      where += " AND rowid > ?2 AND rowid < ?3" + like_clauses(split.likes.size(), 4, "text LIKE ?{} ESCAPE '\\'");
      bool windowed = order == SearchOrder::rank && !split.match.empty();
      std::string sql;
      if (windowed) {
        // bm25 over every match of a common term is a full pass over its postings (and a sort): over a
        // million messages, far beyond the 50 ms target. The newest matches come lazily in rowid order,
        // so the ranking is done per window of the newest k_rank_window matches, then the next window.
        sql = "SELECT id, score FROM (SELECT rowid AS id, bm25(message_fts) AS score" + where
              + " ORDER BY rowid DESC LIMIT " + std::to_string(k_rank_window) + ") ORDER BY score, id DESC";
      } else {
        sql = "SELECT rowid, 0.0" + where + (order == SearchOrder::oldest ? " ORDER BY rowid" : " ORDER BY rowid DESC");
      }
      Stmt candidates = m_db.prepare(sql);
      std::int64_t upper = std::numeric_limits<std::int64_t>::max();
      auto bind_candidates = [&] {
        if (split.match.empty())
          candidates.bind_null(1);
        else
          candidates.bind(1, split.match);
        candidates.bind(2, filter.after_id).bind(3, upper);
        for (std::size_t i = 0; i < split.likes.size(); ++i)
          candidates.bind(static_cast<int>(i) + 4, split.likes[i]);
      };
      bind_candidates();

      Stmt read = m_db.prepare(std::string(k_hit_columns) + " WHERE m.id = ?1" + k_filters);
      for (;;) {
        std::int64_t rows = 0, lowest = upper;
        while (candidates.step()) {
          ++rows;
          lowest = std::min(lowest, candidates.col_int(0));
          bind_filters(read, filter); // reset() cleared them
          read.bind(1, candidates.col_int(0));
          bool found = read.step();
          bool more = !found || visit(read_hit(read, candidates.col_double(1)));
          read.reset();
          if (!more)
            return {};
        }
        if (!windowed || rows < k_rank_window)
          return {};
        upper = lowest; // the next (older) window
        candidates.reset();
        bind_candidates();
      }
    });
  }

  Status by_contact(const std::vector<std::string>& terms, const SearchFilter& filter,
                    const std::function<bool(const SearchHit&)>& visit) override
  {
    return guarded([&]() -> Status {
      SplitTerms split = split_terms(terms);
      if (split.match.empty() && split.likes.empty())
        return {};
      std::string sql = split.match.empty() ? "SELECT rowid, 0.0 FROM contact_fts WHERE ?1 IS NULL"
                                            : "SELECT rowid, rank FROM contact_fts WHERE contact_fts MATCH ?1";
      sql += like_clauses(split.likes.size(), 2, "(name LIKE ?{0} ESCAPE '\\' OR username LIKE ?{0} ESCAPE '\\')");
      sql += split.match.empty() ? " ORDER BY rowid DESC" : " ORDER BY rank, rowid DESC";
      Stmt contacts = m_db.prepare(sql);
      if (split.match.empty())
        contacts.bind_null(1);
      else
        contacts.bind(1, split.match);
      for (std::size_t i = 0; i < split.likes.size(); ++i)
        contacts.bind(static_cast<int>(i) + 2, split.likes[i]);

      Stmt read = m_db.prepare(std::string(k_hit_columns) + " WHERE m.contact_id = ?1" + k_filters
                               + " ORDER BY m.id DESC");
      while (contacts.step()) {
        bind_filters(read, filter); // reset() cleared them
        read.bind(1, contacts.col_int(0));
        double score = contacts.col_double(1);
        bool more = true;
        while (more && read.step())
          more = visit(read_hit(read, score));
        read.reset();
        if (!more)
          break;
      }
      return {};
    });
  }

  Result<std::int64_t> max_message_id() override
  {
    return guarded([&]() -> Result<std::int64_t> {
      Stmt s = m_db.prepare("SELECT coalesce(max(id), 0) FROM messages");
      s.step();
      return s.col_int(0);
    });
  }

private:
  Store& m_store;
  Db& m_db;
};

} // namespace

std::string
fts_quote(const std::string& term)
{
  std::string out = "\"";
  for (char c : term) {
    out += c;
    if (c == '"')
      out += '"';
  }
  return out + "\"";
}

std::string
like_pattern(const std::string& term)
{
  std::string out = "%";
  for (char c : term) {
    if (c == '%' || c == '_' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "%";
}

std::unique_ptr<SearchIndex>
search_index(Store& store)
{
  // The only Store there is; the cast stays here, inside lib/svc/store, which owns both types.
  return std::make_unique<SqliteSearchIndex>(store, dynamic_cast<SqliteStore&>(store).db());
}

} // namespace svc::store
