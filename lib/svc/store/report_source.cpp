// ReportSource on SQLite: three plain scans in rowid order (no sort, no join over messages).
#include <svc/store/report_source.hpp>

#include <unordered_map>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

class SqliteReportSource final : public ReportSource
{
public:
  explicit SqliteReportSource(Db& db) : m_db(db) {}

  Result<ReportHistory> history() override
  {
    return guarded([&]() -> Result<ReportHistory> {
      ReportHistory h;
      // One read transaction, so that the three scans see the same moment of a file others write.
      m_db.exec("BEGIN");
      struct End {
        Db& db;
        ~End()
        {
          try {
            db.exec("COMMIT");
          } catch (const StoreException&) { // a read-only transaction: nothing to lose
          }
        }
      } end{m_db};

      Stmt c = m_db.prepare("SELECT c.id, a.name, c.channel, coalesce(g.name, '') FROM conversations c"
                            " JOIN accounts a ON a.id = c.account_id LEFT JOIN agents g ON g.id = c.assignee_id"
                            " ORDER BY c.id");
      while (c.step())
        h.conversations.push_back({c.col_int(0), c.col_text(1), c.col_text(2), c.col_text(3)});

      h.agents.push_back("");
      std::unordered_map<std::string, std::uint32_t> agent_index{{"", 0}};
      Stmt m = m_db.prepare("SELECT conversation_id, id, created_at, direction = 'in', via = 'outbox',"
                            " coalesce(agent, ''), is_bot FROM messages ORDER BY id");
      while (m.step()) {
        ReportMessage r;
        r.conversation_id = m.col_int(0);
        r.id = m.col_int(1);
        r.at = m.col_int(2);
        r.inbound = m.col_int(3) != 0;
        r.via_outbox = m.col_int(4) != 0;
        if (!r.inbound) {
          std::string agent = m.col_text(5);
          r.bot = m.col_int(6) != 0 || agent == "bot";
          auto [it, added] = agent_index.emplace(std::move(agent), static_cast<std::uint32_t>(h.agents.size()));
          if (added)
            h.agents.push_back(it->first);
          r.agent = it->second;
        }
        h.messages.push_back(r);
      }

      Stmt a = m_db.prepare("SELECT conversation_id, id, at, action = 'resolved' FROM audit_log"
                            " WHERE action IN ('resolved', 'reopened') AND conversation_id IS NOT NULL ORDER BY id");
      while (a.step())
        h.events.push_back({a.col_int(0), a.col_int(1), a.col_int(2), a.col_int(3) != 0});
      return h;
    });
  }

private:
  Db& m_db;
};

} // namespace

std::unique_ptr<ReportSource>
report_source(Store& store)
{
  // The only Store there is; the cast stays here, inside lib/svc/store, which owns both types.
  return std::make_unique<SqliteReportSource>(dynamic_cast<SqliteStore&>(store).db());
}

} // namespace svc::store
