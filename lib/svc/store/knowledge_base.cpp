// KnowledgeBase and BotLedger on SQLite (tables of migration v7; the matching is described in the header).
#include <svc/store/knowledge_base.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

// The customer's text is indexed under this row id while it is matched, then rolled back.
constexpr std::int64_t k_query_rowid = -1;
// How much the terms no entry has (typos, greetings, words of another topic) count in the text's own
// score, against 1 for the terms some entry has: they lower the confidence without drowning it.
constexpr double k_unknown_weight = 0.1;

std::vector<char32_t>
decode_utf8(std::string_view s)
{
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

void
append_utf8(std::string& out, char32_t cp)
{
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Punctuation, symbols and spaces outside ASCII that separate words as ASCII punctuation does.
bool
is_separator(char32_t cp)
{
  return (cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFE10 && cp <= 0xFE1F) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF5F && cp <= 0xFF65) ||
         cp == 0xFFFD;
}

// An FTS5 query matching any of `terms`, each quoted as a string.
std::string
any_of(const std::vector<std::string>& terms)
{
  std::string q;
  for (const auto& t : terms) {
    if (!q.empty())
      q += " OR ";
    q += '"';
    for (char c : t)
      q += c == '"' ? std::string("\"\"") : std::string(1, c);
    q += '"';
  }
  return q;
}

std::vector<std::string>
split_spaces(const std::string& s)
{
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto j = s.find(' ', i);
    if (j == std::string::npos)
      j = s.size();
    if (j > i)
      out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// Rolls back to and releases a savepoint when it goes out of scope, whatever happened inside.
class Savepoint
{
public:
  explicit Savepoint(Db& db) : m_db(db) { m_db.exec("SAVEPOINT kb_match"); }
  ~Savepoint() { sqlite3_exec(m_db.handle(), "ROLLBACK TO kb_match; RELEASE kb_match", nullptr, nullptr, nullptr); }
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;

private:
  Db& m_db;
};

class SqliteKnowledgeBase final : public KnowledgeBase
{
public:
  explicit SqliteKnowledgeBase(SqliteStore& store) : m_store(store), m_db(store.db()) {}

  Result<std::vector<std::int64_t>> add(const std::vector<KbEntry>& entries) override
  {
    std::vector<std::int64_t> ids;
    SVC_CHECK(m_store.transaction([&]() -> Status {
      return guarded([&]() -> Status {
        std::set<int> menus;
        for (const auto& e : entries) {
          if (!e.menu)
            continue;
          if (!menus.insert(*e.menu).second)
            return make_error(ErrorKind::conflict, "menu number {} is given twice", *e.menu);
          Stmt taken = m_db.prepare("SELECT id FROM kb_entries WHERE menu = ?1");
          taken.bind(1, *e.menu);
          if (taken.step())
            return make_error(ErrorKind::conflict, "menu number {} is taken by entry #{}", *e.menu, taken.col_int(0))
              .with_hint("`svc kb list` shows the menu; `svc kb remove ID` frees a number");
        }
        for (const auto& e : entries)
          ids.push_back(insert(e));
        return {};
      });
    }));
    return ids;
  }

  Result<std::vector<KbEntry>> list() override
  {
    return guarded([&]() -> Result<std::vector<KbEntry>> {
      Stmt s = m_db.prepare(select_entries() + " ORDER BY menu IS NULL, menu, id");
      std::vector<KbEntry> out;
      while (s.step())
        out.push_back(entry_row(s));
      return out;
    });
  }

  Result<KbEntry> get(std::int64_t id) override
  {
    return guarded([&]() -> Result<KbEntry> {
      Stmt s = m_db.prepare(select_entries() + " WHERE id = ?1");
      s.bind(1, id);
      if (!s.step())
        return no_such_entry(id);
      return entry_row(s);
    });
  }

  Result<std::optional<KbEntry>> by_menu(int number) override
  {
    return guarded([&]() -> Result<std::optional<KbEntry>> {
      Stmt s = m_db.prepare(select_entries() + " WHERE menu = ?1");
      s.bind(1, number);
      if (!s.step())
        return std::optional<KbEntry>();
      return std::optional<KbEntry>(entry_row(s));
    });
  }

  Status remove(std::int64_t id) override
  {
    return m_store.transaction([&]() -> Status {
      return guarded([&]() -> Status {
        m_db.prepare("DELETE FROM kb_entries WHERE id = ?1").bind(1, id).exec();
        if (m_db.changes() == 0)
          return no_such_entry(id);
        m_db.prepare("DELETE FROM kb_fts WHERE entry_id = ?1").bind(1, id).exec();
        m_db.prepare("DELETE FROM kb_fts_cjk WHERE entry_id = ?1").bind(1, id).exec();
        return {};
      });
    });
  }

  Result<std::vector<KbMatch>> match(std::string_view text, int limit) override
  {
    std::string norm = kb_normalize(text);
    std::vector<std::string> trigrams = kb_trigrams(norm);
    std::string grams = kb_cjk_grams(norm);
    std::vector<std::string> gram_terms = split_spaces(grams);
    if (trigrams.empty() && gram_terms.empty())
      return std::vector<KbMatch>{};

    std::map<std::int64_t, double> scores;           // row -> BM25 summed over both indexes
    std::map<std::int64_t, std::int64_t> row_entry;  // row -> entry
    double self_known = 0;                           // the text's own row, on the known terms only
    bool any_known = false;
    // The terms some entry has: only those can match; the others weigh less in the text's own score.
    // Throws StoreException (inside guarded below).
    auto known = [&](const char* vocab, const std::vector<std::string>& terms) {
      std::vector<std::string> out;
      Stmt s = m_db.prepare(fmt::format("SELECT 1 FROM {} WHERE term = ?1", vocab));
      for (const auto& t : terms) {
        s.reset();
        s.bind(1, t);
        if (s.step())
          out.push_back(t);
      }
      return out;
    };
    // A write transaction (the savepoint writes, then rolls back), joining the caller's if any.
    SVC_CHECK(m_store.transaction(
      [&]() -> Status {
        return guarded([&]() -> Status {
          std::vector<std::string> known_trigrams = known("kb_fts_terms", trigrams);
          std::vector<std::string> known_grams = known("kb_fts_cjk_terms", gram_terms);
          any_known = !known_trigrams.empty() || !known_grams.empty();
          if (!any_known)
            return {};
          Savepoint sp(m_db);
          m_db.prepare("INSERT INTO kb_fts (rowid, text, entry_id) VALUES (?1, ?2, 0)")
            .bind(1, k_query_rowid)
            .bind(2, norm)
            .exec();
          m_db.prepare("INSERT INTO kb_fts_cjk (rowid, text, entry_id) VALUES (?1, ?2, 0)")
            .bind(1, k_query_rowid)
            .bind(2, grams)
            .exec();
          auto collect = [&](const char* sql, const std::vector<std::string>& terms) {
            if (terms.empty())
              return;
            Stmt s = m_db.prepare(sql);
            s.bind(1, any_of(terms));
            while (s.step()) {
              scores[s.col_int(0)] += s.col_double(2);
              row_entry[s.col_int(0)] = s.col_int(1);
            }
          };
          collect("SELECT rowid, entry_id, -bm25(kb_fts) FROM kb_fts WHERE kb_fts MATCH ?1", trigrams);
          collect("SELECT rowid, entry_id, -bm25(kb_fts_cjk) FROM kb_fts_cjk WHERE kb_fts_cjk MATCH ?1", gram_terms);
          auto self = [&](const char* sql, const std::vector<std::string>& terms) {
            if (terms.empty())
              return;
            Stmt s = m_db.prepare(sql);
            s.bind(1, any_of(terms)).bind(2, k_query_rowid);
            if (s.step())
              self_known += s.col_double(0);
          };
          self("SELECT -bm25(kb_fts) FROM kb_fts WHERE kb_fts MATCH ?1 AND rowid = ?2", known_trigrams);
          self("SELECT -bm25(kb_fts_cjk) FROM kb_fts_cjk WHERE kb_fts_cjk MATCH ?1 AND rowid = ?2", known_grams);
          return {};
        });
      },
      false));

    if (!any_known)
      return std::vector<KbMatch>{};
    double self_all = scores.count(k_query_rowid) ? scores[k_query_rowid] : 0;
    double self = self_known + k_unknown_weight * std::max(0.0, self_all - self_known);
    if (self <= 0)
      return std::vector<KbMatch>{};
    // Each entry's best row.
    std::map<std::int64_t, std::pair<std::int64_t, double>> best; // entry -> (row, score)
    for (const auto& [row, score] : scores) {
      if (row == k_query_rowid)
        continue;
      auto entry = row_entry[row];
      auto it = best.find(entry);
      if (it == best.end() || score > it->second.second)
        best[entry] = {row, score};
    }
    std::vector<KbMatch> out;
    for (const auto& [entry_id, row_score] : best) {
      auto entry = get(entry_id);
      if (!entry)
        continue; // removed meanwhile
      KbMatch m;
      m.entry = std::move(entry).value();
      m.score = row_score.second;
      m.confidence = std::min(1.0, row_score.second / self);
      m.matched = row_text(row_score.first, m.entry);
      out.push_back(std::move(m));
    }
    std::stable_sort(out.begin(), out.end(), [](const KbMatch& a, const KbMatch& b) {
      return a.confidence > b.confidence || (a.confidence == b.confidence && a.entry.id < b.entry.id);
    });
    if (limit > 0 && static_cast<int>(out.size()) > limit)
      out.resize(limit);
    return out;
  }

  Result<KbSettings> settings() override
  {
    return guarded([&]() -> Result<KbSettings> {
      KbSettings out;
      Stmt s = m_db.prepare("SELECT key, value FROM kb_settings");
      while (s.step()) {
        std::string key = s.col_text(0), value = s.col_text(1);
        if (key == "threshold")
          out.threshold = std::stod(value);
        else if (key == "human_phrases")
          out.human_phrases = nlohmann::json::parse(value).get<std::vector<std::string>>();
        else if (key == "menu_header")
          out.menu_header = value;
      }
      return out;
    });
  }

  Status set_settings(const KbSettings& settings) override
  {
    return m_store.transaction([&]() -> Status {
      return guarded([&]() -> Status {
        Stmt s = m_db.prepare("INSERT INTO kb_settings (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        s.bind(1, "threshold").bind(2, fmt::format("{}", settings.threshold)).exec();
        s.reset();
        s.bind(1, "human_phrases").bind(2, nlohmann::json(settings.human_phrases).dump()).exec();
        s.reset();
        s.bind(1, "menu_header").bind(2, settings.menu_header).exec();
        return {};
      });
    });
  }

private:
  static std::string select_entries()
  {
    return "SELECT id, question, phrasings, answer, menu, created_at, updated_at FROM kb_entries";
  }

  static KbEntry entry_row(const Stmt& s)
  {
    KbEntry e;
    e.id = s.col_int(0);
    e.question = s.col_text(1);
    auto phrasings = nlohmann::json::parse(s.col_text(2), nullptr, false);
    if (phrasings.is_array())
      for (const auto& p : phrasings)
        if (p.is_string())
          e.phrasings.push_back(p.get<std::string>());
    e.answer = s.col_text(3);
    if (auto menu = s.col_opt_int(4))
      e.menu = static_cast<int>(*menu);
    e.created_at = s.col_int(5);
    e.updated_at = s.col_int(6);
    return e;
  }

  static Error no_such_entry(std::int64_t id)
  {
    return make_error(ErrorKind::not_found, "no knowledge-base entry #{}", id)
      .with_hint("`svc kb list` shows the entries and their ids");
  }

  // Inserts one entry and indexes its question and phrasings; throws StoreException.
  std::int64_t insert(const KbEntry& e)
  {
    UnixTime now = e.created_at;
    Stmt s = m_db.prepare("INSERT INTO kb_entries (question, phrasings, answer, menu, created_at, updated_at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    s.bind(1, e.question).bind(2, nlohmann::json(e.phrasings).dump()).bind(3, e.answer).bind(5, now);
    if (e.menu)
      s.bind(4, *e.menu);
    else
      s.bind_null(4);
    s.exec();
    std::int64_t id = m_db.last_insert_id();
    std::vector<std::string> texts = {e.question};
    texts.insert(texts.end(), e.phrasings.begin(), e.phrasings.end());
    for (const auto& t : texts) {
      std::string norm = kb_normalize(t);
      if (norm.empty())
        continue;
      m_db.prepare("INSERT INTO kb_fts (text, entry_id) VALUES (?1, ?2)").bind(1, norm).bind(2, id).exec();
      std::int64_t row = m_db.last_insert_id();
      m_db.prepare("INSERT INTO kb_fts_cjk (rowid, text, entry_id) VALUES (?1, ?2, ?3)")
        .bind(1, row)
        .bind(2, kb_cjk_grams(norm))
        .bind(3, id)
        .exec();
    }
    return id;
  }

  // The question or phrasing an index row holds (matched by its normalised text).
  std::string row_text(std::int64_t row, const KbEntry& e)
  {
    Stmt s = m_db.prepare("SELECT text FROM kb_fts WHERE rowid = ?1");
    s.bind(1, row);
    std::string norm = s.step() ? s.col_text(0) : "";
    for (const auto& p : e.phrasings)
      if (kb_normalize(p) == norm)
        return p;
    return e.question;
  }

  SqliteStore& m_store;
  Db& m_db;
};

class SqliteBotLedger final : public BotLedger
{
public:
  explicit SqliteBotLedger(Db& db) : m_db(db) {}

  Result<BotFacts> facts(std::int64_t message_id) override
  {
    return guarded([&]() -> Result<BotFacts> {
      Stmt s = m_db.prepare(
        "SELECT m.id, m.conversation_id, coalesce(m.contact_id, 0), m.direction = 'in', m.text,"
        " EXISTS (SELECT 1 FROM bot_runs b WHERE b.message_id = m.id),"
        " NOT EXISTS (SELECT 1 FROM messages n WHERE n.conversation_id = m.conversation_id"
        "             AND n.direction = 'in' AND n.id > m.id),"
        " m.contact_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM messages p WHERE p.contact_id = m.contact_id"
        "             AND p.direction = 'in' AND p.id < m.id),"
        " EXISTS (SELECT 1 FROM bot_runs b WHERE b.conversation_id = m.conversation_id"
        "         AND b.outbox_id IS NOT NULL AND b.message_id >= m.id),"
        " EXISTS (SELECT 1 FROM outbox o WHERE o.conversation_id = m.conversation_id AND o.kind <> 'bot'"
        "         AND o.status <> 'cancelled' AND o.created_at >= m.stored_at)"
        " OR EXISTS (SELECT 1 FROM messages r WHERE r.conversation_id = m.conversation_id"
        "            AND r.direction = 'out' AND r.is_bot = 0 AND r.id > m.id)"
        " FROM messages m WHERE m.id = ?1");
      s.bind(1, message_id);
      if (!s.step())
        return make_error(ErrorKind::not_found, "no message #{}", message_id)
          .with_hint("`svc show CONVERSATION` lists a conversation's messages with their ids");
      BotFacts f;
      f.message_id = s.col_int(0);
      f.conversation_id = s.col_int(1);
      f.contact_id = s.col_int(2);
      f.inbound = s.col_int(3) != 0;
      f.text = s.col_text(4);
      f.decided = s.col_int(5) != 0;
      f.newest_inbound = s.col_int(6) != 0;
      f.first_from_contact = s.col_int(7) != 0;
      f.bot_answered_since = s.col_int(8) != 0;
      f.agent_replied_since = s.col_int(9) != 0;
      return f;
    });
  }

  Status record(const BotRun& run) override
  {
    return guarded([&]() -> Status {
      m_db
        .prepare("INSERT INTO bot_runs (message_id, conversation_id, outcome, entry_id, confidence, outbox_id,"
                 " detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(1, run.message_id)
        .bind(2, run.conversation_id)
        .bind(3, run.outcome)
        .bind(4, run.entry_id)
        .bind(5, run.confidence)
        .bind(6, run.outbox_id)
        .bind(7, run.detail)
        .bind(8, run.at)
        .exec();
      return {};
    });
  }

private:
  Db& m_db;
};

} // namespace

bool
is_cjk(char32_t cp)
{
  return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3130 && cp <= 0x318F) ||
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF66 && cp <= 0xFF9F) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

std::string
kb_normalize(std::string_view text)
{
  std::string out;
  bool space = true; // drops leading spaces and collapses runs
  for (char32_t cp : decode_utf8(text)) {
    if (cp >= 0xFF01 && cp <= 0xFF5E)
      cp -= 0xFEE0; // full-width ASCII
    bool sep = cp < 0x80 ? !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
                         : is_separator(cp);
    if (sep) {
      if (!space)
        out += ' ';
      space = true;
      continue;
    }
    if (cp >= 'A' && cp <= 'Z')
      cp += 'a' - 'A';
    append_utf8(out, cp);
    space = false;
  }
  if (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

std::string
kb_cjk_grams(std::string_view normalized)
{
  auto cps = decode_utf8(normalized);
  std::string out;
  auto add = [&](std::size_t from, std::size_t n) {
    if (!out.empty())
      out += ' ';
    for (std::size_t k = from; k < from + n; ++k)
      append_utf8(out, cps[k]);
  };
  std::size_t i = 0;
  while (i < cps.size()) {
    if (!is_cjk(cps[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < cps.size() && is_cjk(cps[j]))
      ++j;
    if (j - i == 1)
      add(i, 1);
    for (std::size_t k = i; k + 1 < j; ++k)
      add(k, 2);
    i = j;
  }
  return out;
}

std::vector<std::string>
kb_trigrams(std::string_view normalized)
{
  auto cps = decode_utf8(normalized);
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i + 3 <= cps.size(); ++i) {
    std::string t;
    for (std::size_t k = i; k < i + 3; ++k)
      append_utf8(t, cps[k]);
    if (seen.insert(t).second)
      out.push_back(std::move(t));
  }
  return out;
}

std::unique_ptr<KnowledgeBase>
knowledge_base(Store& store)
{
  return std::make_unique<SqliteKnowledgeBase>(dynamic_cast<SqliteStore&>(store));
}

std::unique_ptr<BotLedger>
bot_ledger(Store& store)
{
  return std::make_unique<SqliteBotLedger>(dynamic_cast<SqliteStore&>(store).db());
}

} // namespace svc::store
