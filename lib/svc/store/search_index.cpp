// SearchIndex on SQLite FTS5 (tables and triggers: migration v5). Candidates come from the index in
// the order asked for, and each is then read from messages with the filters applied, so a ranked query
// stops reading as soon as the caller has enough.
#include <svc/store/search_index.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

#include <svc/store/search_backlog.hpp>
#include <svc/store/search_scan.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

// Ranked queries rank this many of the newest matches at a time (see from_index()).
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

struct ShortTerm {
  std::string pattern; // a LIKE pattern, or the term itself for instr()
  bool folds_case;     // has ASCII letters: LIKE (ASCII case-insensitive); otherwise svc_contains()
};

struct SplitTerms {
  std::string match;            // FTS5 expression of the long terms ("" when none)
  std::vector<ShortTerm> short_terms; // the ones the trigram index cannot find
};

bool
has_ascii_letter(const std::string& s)
{
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; });
}

// `term` checked without the index: as a trigram would find it, case-insensitive (ASCII) where the
// term has Latin letters.
ShortTerm
substring_term(const std::string& term)
{
  if (has_ascii_letter(term))
    return {like_pattern(term), true};
  return {term, false};
}

// True when no character of `term` is changed by the trigram tokenizer's case folding (which folds
// Latin, Greek, Cyrillic, fullwidth Latin and more): ASCII other than letters, and the CJK and Hangul
// blocks. For such a term a byte substring check finds exactly what the index finds.
bool
folds_nothing(const std::string& term)
{
  for (std::size_t i = 0; i < term.size();) {
    auto c = static_cast<unsigned char>(term[i]);
    if (c < 0x80) {
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return false;
      ++i;
      continue;
    }
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + static_cast<std::size_t>(len) > term.size())
      return false;
    std::uint32_t cp = c & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
    for (int k = 1; k < len; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(term[i + static_cast<std::size_t>(k)]) & 0x3F);
    bool cjk = (cp >= 0x2E80 && cp < 0xA000) || (cp >= 0xAC00 && cp < 0xD7A4) || (cp >= 0xF900 && cp < 0xFB00)
               || cp >= 0x20000;
    if (!cjk)
      return false;
    i += static_cast<std::size_t>(len);
  }
  return true;
}

// The first three characters of `term` (which has at least three).
std::string
first_trigram(const std::string& term)
{
  std::size_t i = 0;
  for (int chars = 0; i < term.size(); ++i)
    if ((static_cast<unsigned char>(term[i]) & 0xC0) != 0x80 && ++chars == 4)
      break;
  return term.substr(0, i);
}

SplitTerms
split_terms(const std::vector<std::string>& terms)
{
  SplitTerms out;
  std::vector<const std::string*> long_terms;
  for (const auto& t : terms) {
    if (t.empty())
      continue;
    if (utf8_length(t) >= 3)
      long_terms.push_back(&t);
    else
      out.short_terms.push_back(substring_term(t));
  }
  // With a short term, every candidate's text is read anyway to check it. A long term is then cheaper
  // to check there too (one byte search) than as an FTS5 phrase of its trigrams, whose position lists are
  // compared row by row: the index is asked for its first trigram only (a superset), and the text
  // for the whole term. `svc search "杯子碎了 包装"` over a million messages (bench/search.sh), whole
  // process under callgrind: 157M -> 124M instructions. Only where folding cannot differ (folds_nothing).
  bool narrow = !out.short_terms.empty();
  for (const std::string* t : long_terms) {
    if (narrow && utf8_length(*t) > 3 && folds_nothing(*t)) {
      out.match += (out.match.empty() ? "" : " ") + fts_quote(first_trigram(*t));
      out.short_terms.push_back({*t, false});
    } else {
      out.match += (out.match.empty() ? "" : " ") + fts_quote(*t);
    }
  }
  return out;
}

// " AND (<column> LIKE ?4 ESCAPE '\' OR ...) AND (svc_contains(<column>, ?5) OR ...)" for parameters
// first..: each term found in any of `columns` (built from counts and fixed names: no user text).
std::string
contains_clauses(const std::vector<ShortTerm>& terms, int first, std::initializer_list<const char*> columns)
{
  std::string sql;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    int n = static_cast<int>(i) + first;
    std::string any;
    for (const char* column : columns) {
      any += any.empty() ? "" : " OR ";
      any += terms[i].folds_case ? fmt::format("{} LIKE ?{} ESCAPE '\\'", column, n)
                                 : fmt::format("svc_contains({}, ?{})", column, n);
    }
    sql += " AND (" + any + ")";
  }
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
  SqliteSearchIndex(Store& store, Db& db, SearchTuning tuning) : m_store(store), m_db(db), m_tuning(tuning) {}

  Status messages(const std::vector<std::string>& terms, const SearchFilter& filter, SearchOrder order,
                  const std::function<bool(const SearchHit&)>& visit) override
  {
    return guarded([&]() -> Status {
      SplitTerms split = split_terms(terms);
      if (split.match.empty() && split.short_terms.empty())
        return {};
      // Messages are indexed when first searched (v8). A state file opened read-only cannot be caught
      // up: the index answers up to its mark, and the messages above it are scanned in place.
      SVC_TRY(unindexed_above, search_backlog(m_store)->catch_up_or_mark());
      if (!unindexed_above) {
        from_index(split, filter, order, std::numeric_limits<std::int64_t>::max(), visit);
        return {};
      }
      // The backlog's ids are all above the index's: it comes first newest first, last oldest first,
      // and after the ranked hits (it has no bm25) in rank order, unless that order is a scan by id.
      // The index is bounded by the mark: a process catching up meanwhile must not show a message twice.
      bool backlog_first = order == SearchOrder::newest || (order == SearchOrder::rank && split.match.empty());
      if (backlog_first && !from_backlog(terms, filter, order, *unindexed_above, visit))
        return {};
      if (from_index(split, filter, order, *unindexed_above + 1, visit) && !backlog_first)
        from_backlog(terms, filter, order, *unindexed_above, visit);
      return {};
    });
  }

  Status by_contact(const std::vector<std::string>& terms, const SearchFilter& filter,
                    const std::function<bool(const SearchHit&)>& visit) override
  {
    return guarded([&]() -> Status {
      SplitTerms split = split_terms(terms);
      if (split.match.empty() && split.short_terms.empty())
        return {};
      std::string sql = split.match.empty() ? "SELECT rowid, 0.0 FROM contact_fts WHERE ?1 IS NULL"
                                            : "SELECT rowid, rank FROM contact_fts WHERE contact_fts MATCH ?1";
      sql += contains_clauses(split.short_terms, 2, {"name", "username"});
      sql += split.match.empty() ? " ORDER BY rowid DESC" : " ORDER BY rank, rowid DESC";
      Stmt contacts = m_db.prepare(sql);
      if (split.match.empty())
        contacts.bind_null(1);
      else
        contacts.bind(1, split.match);
      for (std::size_t i = 0; i < split.short_terms.size(); ++i)
        contacts.bind(static_cast<int>(i) + 2, split.short_terms[i].pattern);

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
    return guarded([&]() -> Result<std::int64_t> { return max_id(); });
  }

private:
  // Index candidates below `upper` (exclusive) in `order`, each read with the filters applied; false
  // when `visit` asked to stop. Throws StoreException.
  bool from_index(const SplitTerms& split, const SearchFilter& filter, SearchOrder order, std::int64_t upper,
                  const std::function<bool(const SearchHit&)>& visit)
  {
    // ?1 the match (or unused), ?2 the lower bound (exclusive), ?3 the upper bound, ?4... the short
    // terms. These are checked on FTS5's own copy of the text, its shadow table message_fts_content
    // (id, c0): read through the FTS table, each row costs a nested statement of fts5's
    // (fts5SeekCursor), about half of such a query's time; and a short term alone is a scan, which
    // reads that narrow table 2-3 times faster than the FTS table or the wide messages rows.
    std::string from;
    if (split.match.empty()) {
      from = " FROM message_fts_content c WHERE ?1 IS NULL AND c.id > ?2 AND c.id < ?3";
    } else {
      from = " FROM message_fts";
      if (!split.short_terms.empty())
        from += " JOIN message_fts_content c ON c.id = message_fts.rowid";
      from += " WHERE message_fts MATCH ?1 AND message_fts.rowid > ?2 AND message_fts.rowid < ?3";
    }
    from += contains_clauses(split.short_terms, 4, {"c.c0"});
    std::string key = split.match.empty() ? "c.id" : "message_fts.rowid";
    // bm25 over every match of a common term is a full pass over its postings (and a sort): over a
    // million messages, far beyond the 50 ms target. The newest matches come lazily in id order, so
    // the ranking is done per window of the newest k_rank_window matches, then the next window.
    bool windowed = order == SearchOrder::rank && !split.match.empty();
    CandidateQuery q;
    q.sql = "SELECT " + key + (windowed ? ", bm25(message_fts)" : ", 0.0") + from + " ORDER BY " + key
            + (order == SearchOrder::oldest ? "" : " DESC");
    q.match = split.match;
    for (const auto& t : split.short_terms)
      q.patterns.push_back(t.pattern);

    std::int64_t above = filter.after_id, split_at = 0;
    std::unique_ptr<OlderHalf> older;
    if (!split.short_terms.empty() && order != SearchOrder::oldest) {
      std::int64_t end = std::min(upper, max_id() + 1);
      if (end - above >= std::max<std::int64_t>(2, m_tuning.split_ids)) { // both halves non-empty
        split_at = above + (end - above) / 2;
        older = std::make_unique<OlderHalf>(m_store.path(), q, above, split_at);
      }
    }
    CandidateStream candidates(m_db, q, above, upper, std::move(older), split_at);

    Stmt read = m_db.prepare(std::string(k_hit_columns) + " WHERE m.id = ?1" + k_filters);
    auto visit_one = [&](const Candidate& c) {
      bind_filters(read, filter); // reset() cleared them
      read.bind(1, c.id);
      bool found = read.step();
      bool more = !found || visit(read_hit(read, c.score));
      read.reset();
      return more;
    };
    if (!windowed) {
      while (auto c = candidates.next())
        if (!visit_one(*c))
          return false;
      return true;
    }
    std::vector<Candidate> window;
    for (;;) {
      window.clear();
      while (window.size() < static_cast<std::size_t>(k_rank_window))
        if (auto c = candidates.next())
          window.push_back(*c);
        else
          break;
      std::sort(window.begin(), window.end(), [](const Candidate& a, const Candidate& b) {
        return a.score != b.score ? a.score < b.score : a.id > b.id;
      });
      for (const auto& c : window)
        if (!visit_one(c))
          return false;
      if (window.size() < static_cast<std::size_t>(k_rank_window))
        return true;
    }
  }

  // The largest message id (0 when none). Throws StoreException.
  std::int64_t max_id()
  {
    Stmt s = m_db.prepare("SELECT coalesce(max(id), 0) FROM messages");
    s.step();
    return s.col_int(0);
  }

  // The messages above `mark` (not indexed yet) whose text contains every term, read directly with
  // the filters applied: every term, long ones too, is checked as the index checks a short one (a
  // byte substring, or LIKE where it has Latin letters), which finds what the trigrams would. In id
  // order (newest first unless `order` is oldest), unranked; false when `visit` asked to stop.
  bool from_backlog(const std::vector<std::string>& terms, const SearchFilter& filter, SearchOrder order,
                    std::int64_t mark, const std::function<bool(const SearchHit&)>& visit)
  {
    std::vector<ShortTerm> all;
    for (const auto& t : terms)
      if (!t.empty())
        all.push_back(substring_term(t));
    // ?1 the mark, ?2..?6 the filters, ?7... the terms.
    Stmt s = m_db.prepare(std::string(k_hit_columns) + " WHERE m.id > ?1" + k_filters
                          + contains_clauses(all, 7, {"m.text"}) + " ORDER BY m.id"
                          + (order == SearchOrder::oldest ? "" : " DESC"));
    bind_filters(s, filter);
    s.bind(1, mark);
    for (std::size_t i = 0; i < all.size(); ++i)
      s.bind(static_cast<int>(i) + 7, all[i].pattern);
    while (s.step())
      if (!visit(read_hit(s, 0.0)))
        return false;
    return true;
  }

  Store& m_store;
  Db& m_db;
  SearchTuning m_tuning;
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
search_index(Store& store, SearchTuning tuning)
{
  // The only Store there is; the cast stays here, inside lib/svc/store, which owns both types.
  Db& db = dynamic_cast<SqliteStore&>(store).db();
  prepare_search_connection(db.handle());
  return std::make_unique<SqliteSearchIndex>(store, db, tuning);
}

} // namespace svc::store
