// ExportSource on SQLite. Each export is one prepared statement stepped to the end; the columns are
// handed out as views into SQLite's row buffers (no copy per row), which is what keeps a million-row
// export fast and its memory flat. The WHERE clause is assembled from fixed fragments, one per filter
// given, so that SQLite can use an index for the time range; every value is a bound parameter.
#include <svc/store/export_source.hpp>

#include <string>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

// A raw statement (Stmt copies text columns into strings; here they are only looked at).
class RowStmt
{
public:
  RowStmt(sqlite3* db, const std::string& sql) : m_db(db)
  {
    int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK)
      throw_sqlite(db, rc, "prepare");
  }
  RowStmt(const RowStmt&) = delete;
  RowStmt& operator=(const RowStmt&) = delete;
  ~RowStmt() { sqlite3_finalize(m_stmt); }

  // Binds by name; a name the statement does not use (its filter is absent) is skipped.
  void bind(const char* name, std::int64_t v)
  {
    if (int i = sqlite3_bind_parameter_index(m_stmt, name))
      check(sqlite3_bind_int64(m_stmt, i, v));
  }
  void bind(const char* name, const std::string& v)
  {
    if (int i = sqlite3_bind_parameter_index(m_stmt, name))
      check(sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  bool step()
  {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
      return true;
    if (rc == SQLITE_DONE)
      return false;
    throw_sqlite(m_db, rc, "export");
  }
  std::string_view text(int c) const
  {
    const unsigned char* p = sqlite3_column_text(m_stmt, c);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, c)))
             : std::string_view();
  }
  std::int64_t integer(int c) const { return sqlite3_column_int64(m_stmt, c); }
  std::optional<std::int64_t> opt_integer(int c) const
  {
    if (sqlite3_column_type(m_stmt, c) == SQLITE_NULL)
      return std::nullopt;
    return integer(c);
  }

private:
  void check(int rc)
  {
    if (rc != SQLITE_OK)
      throw_sqlite(m_db, rc, "bind");
  }
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
};

// The WHERE clause of the filters given. `contact` is the SQL of the row's contact id, `time` of its time.
std::string
where(const ExportFilter& f, const std::string& account, const std::string& contact, const std::string& time,
      const std::string& status)
{
  std::string sql = " WHERE 1";
  if (f.account_id)
    sql += " AND " + account + " = :account";
  if (f.contact_id)
    sql += " AND " + contact + " = :contact";
  if (f.tag)
    sql += " AND EXISTS (SELECT 1 FROM contact_tags x JOIN tags t ON t.id = x.tag_id WHERE x.contact_id = " + contact +
           " AND t.name = :tag)";
  if (f.since)
    sql += " AND " + time + " >= :since";
  if (f.until)
    sql += " AND " + time + " < :until";
  if (f.status)
    sql += " AND " + status + " = :status";
  return sql;
}

void
bind_filter(RowStmt& s, const ExportFilter& f)
{
  if (f.account_id)
    s.bind(":account", *f.account_id);
  if (f.contact_id)
    s.bind(":contact", *f.contact_id);
  if (f.tag)
    s.bind(":tag", *f.tag);
  if (f.since)
    s.bind(":since", *f.since);
  if (f.until)
    s.bind(":until", *f.until);
  if (f.status)
    s.bind(":status", *f.status);
}

class SqliteExportSource final : public ExportSource
{
public:
  explicit SqliteExportSource(Db& db) : m_db(db) {}

  Status messages(const ExportFilter& filter, MessageOrder order,
                  const std::function<bool(const ExportMessage&)>& each) override
  {
    return guarded([&]() -> Status {
      std::string sql =
        "SELECT m.id, m.conversation_id, a.name, a.platform, m.direction, m.channel,"
        " CASE WHEN m.direction = 'in' THEN m.author ELSE m.agent END, m.text, m.created_at,"
        " m.platform_message_id, m.reply_to, ct.id, ct.name, ct.platform_user_id, c.status"
        " FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN accounts a ON a.id = m.account_id"
        " LEFT JOIN contacts ct ON ct.id = coalesce(m.contact_id, c.contact_id)";
      sql += where(filter, "m.account_id", "coalesce(m.contact_id, c.contact_id)", "m.created_at", "c.status");
      sql += order == MessageOrder::time ? " ORDER BY m.created_at, m.id"
                                         : " ORDER BY m.conversation_id, m.created_at, m.id";
      RowStmt s(m_db.handle(), sql);
      bind_filter(s, filter);
      ExportMessage m;
      while (s.step()) {
        m.id = s.integer(0);
        m.conversation_id = s.integer(1);
        m.account = s.text(2);
        m.platform = s.text(3);
        m.direction = s.text(4);
        m.channel = s.text(5);
        m.author = s.text(6);
        m.text = s.text(7);
        m.created_at = s.integer(8);
        m.platform_message_id = s.text(9);
        m.reply_to = s.text(10);
        m.contact_id = s.opt_integer(11);
        m.contact_name = s.text(12);
        m.contact_platform_user_id = s.text(13);
        m.conversation_status = s.text(14);
        if (!each(m))
          break;
      }
      return {};
    });
  }

  Status conversations(const ExportFilter& filter,
                       const std::function<bool(const ExportConversation&)>& each) override
  {
    return guarded([&]() -> Status {
      // The inner select picks the conversations and their first inbound time; the outer one adds the
      // first answer at or after it (an outbound message stamped earlier, by clock skew or a proactive
      // send, is not a response to it).
      std::string sql =
        "SELECT x.*, (SELECT min(o.created_at) FROM messages o WHERE o.conversation_id = x.id"
        "   AND o.direction = 'out' AND o.created_at >= x.first_in)"
        " FROM (SELECT c.id AS id, a.name, a.platform, c.channel, c.status, coalesce(ag.name, ''), coalesce(g.name, ''),"
        "  ct.id AS contact_id, ct.name AS contact_name, ct.platform_user_id,"
        "  (SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM contact_tags tx JOIN tags t ON t.id = tx.tag_id"
        "     WHERE tx.contact_id = c.contact_id ORDER BY t.name)),"
        "  (SELECT group_concat(agent, char(31)) FROM (SELECT agent FROM messages WHERE conversation_id = c.id"
        "     AND direction = 'out' AND coalesce(agent, '') <> '' GROUP BY agent ORDER BY min(created_at), min(id))),"
        "  c.created_at AS created_at, CASE WHEN c.status = 'resolved' THEN c.resolved_at END,"
        "  (SELECT count(*) FROM messages WHERE conversation_id = c.id AND direction = 'in'),"
        "  (SELECT count(*) FROM messages WHERE conversation_id = c.id AND direction = 'out'),"
        "  (SELECT count(*) FROM audit_log WHERE conversation_id = c.id AND action = 'reopened'),"
        "  (SELECT min(created_at) FROM messages WHERE conversation_id = c.id AND direction = 'in') AS first_in"
        "  FROM conversations c JOIN accounts a ON a.id = c.account_id LEFT JOIN contacts ct ON ct.id = c.contact_id"
        "  LEFT JOIN agents ag ON ag.id = c.assignee_id LEFT JOIN groups g ON g.id = c.group_id";
      sql += where(filter, "c.account_id", "c.contact_id", "c.created_at", "c.status");
      sql += ") x ORDER BY x.created_at, x.id";
      RowStmt s(m_db.handle(), sql);
      bind_filter(s, filter);
      ExportConversation c;
      while (s.step()) {
        c.id = s.integer(0);
        c.account = s.text(1);
        c.platform = s.text(2);
        c.channel = s.text(3);
        c.status = s.text(4);
        c.assignee = s.text(5);
        c.group = s.text(6);
        c.contact_id = s.opt_integer(7);
        c.contact_name = s.text(8);
        c.contact_platform_user_id = s.text(9);
        c.tags = s.text(10);
        c.agents = s.text(11);
        c.created_at = s.integer(12);
        c.resolved_at = s.opt_integer(13);
        c.messages_in = s.integer(14);
        c.messages_out = s.integer(15);
        c.reopen_count = s.integer(16);
        c.first_inbound_at = s.opt_integer(17);
        c.first_response_at = s.opt_integer(18);
        if (!each(c))
          break;
      }
      return {};
    });
  }

private:
  Db& m_db;
};

} // namespace

std::unique_ptr<ExportSource>
export_source(Store& store)
{
  // The only Store there is; the cast stays here, inside lib/svc/store, which owns both types.
  return std::make_unique<SqliteExportSource>(dynamic_cast<SqliteStore&>(store).db());
}

} // namespace svc::store
