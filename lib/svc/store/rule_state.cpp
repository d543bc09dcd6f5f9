// RuleState on SQLite: rule_runs and rule_notifications, plus the reads a rule needs about one message.
#include <svc/store/rule_state.hpp>

#include <nlohmann/json.hpp>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

constexpr const char* k_notification_select =
  "SELECT id, message_id, rule, command, payload, status, pid, exit_code, coalesce(error, ''), created_at,"
  " started_at FROM rule_notifications ";

class SqliteRuleState final : public RuleState
{
public:
  SqliteRuleState(Store& store, Db& db, const Clock& clock) : m_store(store), m_db(db), m_clock(clock) {}

  Result<std::vector<std::int64_t>> unprocessed(UnixTime since, int limit) override
  {
    return guarded([&]() -> Result<std::vector<std::int64_t>> {
      Stmt s = m_db.prepare("SELECT m.id FROM messages m WHERE m.direction = 'in' AND m.created_at >= ?1"
                            " AND NOT EXISTS (SELECT 1 FROM rule_runs r WHERE r.message_id = m.id)"
                            " ORDER BY m.id LIMIT ?2");
      s.bind(1, since).bind(2, limit > 0 ? static_cast<std::int64_t>(limit) : std::int64_t{-1});
      std::vector<std::int64_t> out;
      while (s.step())
        out.push_back(s.col_int(0));
      return out;
    });
  }

  Result<bool> processed(std::int64_t message_id) override
  {
    return guarded([&]() -> Result<bool> {
      Stmt s = m_db.prepare("SELECT 1 FROM rule_runs WHERE message_id = ?1");
      s.bind(1, message_id);
      return s.step();
    });
  }

  Result<RuleMessage> message(std::int64_t message_id) override
  {
    return guarded([&]() -> Result<RuleMessage> {
      Stmt s = m_db.prepare(
        "SELECT m.id, m.conversation_id, coalesce(m.contact_id, 0), a.name, a.platform, m.channel, m.text,"
        " m.platform_message_id, coalesce(c.name, ''), coalesce(c.platform_user_id, ''), m.created_at,"
        " NOT EXISTS (SELECT 1 FROM messages p WHERE p.contact_id = m.contact_id AND p.direction = 'in'"
        "             AND (p.created_at < m.created_at OR (p.created_at = m.created_at AND p.id < m.id)))"
        " FROM messages m JOIN accounts a ON a.id = m.account_id LEFT JOIN contacts c ON c.id = m.contact_id"
        " WHERE m.id = ?1 AND m.direction = 'in'");
      s.bind(1, message_id);
      if (!s.step())
        return make_error(ErrorKind::not_found, "no inbound message #{}", message_id);
      RuleMessage m;
      m.id = s.col_int(0);
      m.conversation_id = s.col_int(1);
      m.contact_id = s.col_int(2);
      m.account = s.col_text(3);
      m.platform = s.col_text(4);
      m.channel = s.col_text(5);
      m.text = s.col_text(6);
      m.platform_message_id = s.col_text(7);
      m.contact_name = s.col_text(8);
      m.contact_platform_id = s.col_text(9);
      m.created_at = s.col_int(10);
      m.first_contact = m.contact_id != 0 && s.col_int(11) != 0;
      Stmt t = m_db.prepare("SELECT t.name FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
                            " WHERE x.contact_id = ?1 ORDER BY t.name");
      t.bind(1, m.contact_id);
      while (t.step())
        m.contact_tags.push_back(t.col_text(0));
      return m;
    });
  }

  Status mark_processed(std::int64_t message_id, const std::string& result_json) override
  {
    return guarded([&]() -> Status {
      Stmt s = m_db.prepare("INSERT INTO rule_runs (message_id, applied_at, result) VALUES (?1, ?3, ?2)"
                            " ON CONFLICT (message_id) DO NOTHING");
      s.bind(1, message_id).bind(2, result_json).bind(3, m_clock.now()).exec();
      if (m_db.changes() == 0)
        return make_error(ErrorKind::conflict, "message #{} was already processed by the rules", message_id);
      return {};
    });
  }

  Result<std::string> result(std::int64_t message_id) override
  {
    return guarded([&]() -> Result<std::string> {
      Stmt s = m_db.prepare("SELECT result FROM rule_runs WHERE message_id = ?1");
      s.bind(1, message_id);
      if (!s.step())
        return make_error(ErrorKind::not_found, "message #{} was not processed by the rules", message_id);
      return s.col_text(0);
    });
  }

  Status set_priority(std::int64_t conversation_id, int priority, const std::string& by,
                      const std::string& rule) override
  {
    return m_store.transaction([&]() -> Status {
      SVC_CHECK(guarded([&]() -> Status {
        m_db.prepare("UPDATE conversations SET priority = ?2, updated_at = ?3 WHERE id = ?1")
          .bind(1, conversation_id)
          .bind(2, priority)
          .bind(3, m_clock.now())
          .exec();
        if (m_db.changes() == 0)
          return make_error(ErrorKind::not_found, "no conversation #{}", conversation_id);
        return {};
      }));
      return m_store.workflow().audit(conversation_id, by, "prioritized",
                                      nlohmann::json{{"priority", priority}, {"rule", rule}}.dump());
    });
  }

  Result<std::int64_t> add_notification(std::int64_t message_id, const std::string& rule,
                                        const std::string& command_json, const std::string& payload) override
  {
    return guarded([&]() -> Result<std::int64_t> {
      m_db.prepare("INSERT INTO rule_notifications (message_id, rule, command, payload, created_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(1, message_id)
        .bind(2, rule)
        .bind(3, command_json)
        .bind(4, payload)
        .bind(5, m_clock.now())
        .exec();
      return m_db.last_insert_id();
    });
  }

  Result<std::vector<RuleNotification>> notifications(const std::string& status) override
  {
    return guarded([&]() -> Result<std::vector<RuleNotification>> {
      Stmt s = m_db.prepare(std::string(k_notification_select) + "WHERE ?1 = '' OR status = ?1 ORDER BY id");
      s.bind(1, status);
      std::vector<RuleNotification> out;
      while (s.step()) {
        RuleNotification n;
        n.id = s.col_int(0);
        n.message_id = s.col_int(1);
        n.rule = s.col_text(2);
        n.command = s.col_text(3);
        n.payload = s.col_text(4);
        n.status = s.col_text(5);
        n.pid = s.col_opt_int(6);
        n.exit_code = s.col_opt_int(7);
        n.error = s.col_text(8);
        n.created_at = s.col_int(9);
        if (!s.col_null(10))
          n.started_at = s.col_int(10);
        out.push_back(std::move(n));
      }
      return out;
    });
  }

  Result<bool> start_notification(std::int64_t id, pid_t pid) override
  {
    bool started = false;
    SVC_CHECK(m_store.transaction([&]() -> Status {
      return guarded([&]() -> Status {
        m_db.prepare("UPDATE rule_notifications SET status = 'running', pid = ?2, started_at = ?3"
                     " WHERE id = ?1 AND status = 'pending'")
          .bind(1, id)
          .bind(2, static_cast<std::int64_t>(pid))
          .bind(3, m_clock.now())
          .exec();
        started = m_db.changes() == 1;
        return {};
      });
    }));
    return started;
  }

  Status finish_notification(std::int64_t id, bool ok, std::optional<int> exit_code,
                             const std::string& error) override
  {
    return m_store.transaction([&]() -> Status {
      return guarded([&]() -> Status {
        m_db.prepare("UPDATE rule_notifications SET status = ?2, exit_code = ?3, error = ?4, finished_at = ?5"
                     " WHERE id = ?1 AND status = 'running'")
          .bind(1, id)
          .bind(2, ok ? "done" : "failed")
          .bind(3, exit_code)
          .bind_text_or_null(4, error)
          .bind(5, m_clock.now())
          .exec();
        return {};
      });
    });
  }

  Status interrupt_notification(std::int64_t id) override
  {
    return m_store.transaction([&]() -> Status {
      return guarded([&]() -> Status {
        m_db.prepare("UPDATE rule_notifications SET status = 'interrupted', finished_at = ?2,"
                     " error = 'svc was stopped while the command ran: its outcome is unknown'"
                     " WHERE id = ?1 AND status = 'running'")
          .bind(1, id)
          .bind(2, m_clock.now())
          .exec();
        return {};
      });
    });
  }

  Result<std::vector<std::int64_t>> unsent_replies() override
  {
    return guarded([&]() -> Result<std::vector<std::int64_t>> {
      Stmt s = m_db.prepare("SELECT id FROM outbox WHERE status = 'pending' AND kind IN ('rule', 'bot') ORDER BY id");
      std::vector<std::int64_t> out;
      while (s.step())
        out.push_back(s.col_int(0));
      return out;
    });
  }

private:
  Store& m_store;
  Db& m_db;
  const Clock& m_clock;
};

} // namespace

std::unique_ptr<RuleState>
rule_state(Store& store, const Clock& clock)
{
  // The only Store there is; the cast stays here, inside lib/svc/store, which owns both types.
  return std::make_unique<SqliteRuleState>(store, dynamic_cast<SqliteStore&>(store).db(), clock);
}

} // namespace svc::store
