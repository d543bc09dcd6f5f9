// The outbox: every outgoing text is recorded before it is sent, and its outcome after.
#include <svc/store/repositories.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

constexpr const char* k_select_outbox =
  "SELECT o.id, o.account_id, a.name, o.conversation_id, o.contact_id, o.kind, o.channel, o.thread_key,"
  " o.to_user, o.reply_to, o.text, o.agent, o.status, o.attempts, o.last_error, o.platform_message_id,"
  " o.created_at, o.updated_at, o.sent_at, o.run_key FROM outbox o JOIN accounts a ON a.id = o.account_id ";

Error
no_such_item(std::int64_t id)
{
  return make_error(ErrorKind::not_found, "no outbox item #{}", id).with_hint("`svc outbox list` shows them");
}

} // namespace

std::vector<OutboxItem>
SqliteOutboxRepository::query(const std::string& where, const std::string& arg)
{
  Stmt s = m_db.prepare(std::string(k_select_outbox) + where + " ORDER BY o.id");
  if (!arg.empty())
    s.bind(1, arg);
  std::vector<OutboxItem> out;
  while (s.step()) {
    OutboxItem o;
    o.id = s.col_int(0);
    o.account_id = s.col_int(1);
    o.account = s.col_text(2);
    o.conversation_id = s.col_opt_int(3);
    o.contact_id = s.col_opt_int(4);
    o.kind = s.col_text(5);
    o.message.channel = domain::parse_channel(s.col_text(6)).value_or(domain::ChannelKind::dm);
    o.message.thread_key = s.col_text(7);
    o.message.to_user = s.col_text(8);
    o.message.reply_to = s.col_text(9);
    o.message.text = s.col_text(10);
    o.agent = s.col_text(11);
    o.status = s.col_text(12);
    o.attempts = static_cast<int>(s.col_int(13));
    o.last_error = s.col_text(14);
    o.platform_message_id = s.col_text(15);
    o.created_at = s.col_int(16);
    o.updated_at = s.col_int(17);
    if (!s.col_null(18))
      o.sent_at = s.col_int(18);
    o.run_key = s.col_text(19);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::int64_t>
SqliteOutboxRepository::record(const OutboxItem& item)
{
  return guarded([&]() -> Result<std::int64_t> {
    Stmt s = m_db.prepare(
      "INSERT INTO outbox (account_id, conversation_id, contact_id, kind, channel, thread_key, to_user, reply_to,"
      " text, agent, status, created_at, updated_at, run_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
      " 'pending', ?11, ?11, ?12)");
    s.bind(1, item.account_id).bind(2, item.conversation_id).bind(3, item.contact_id).bind(4, item.kind);
    s.bind(5, domain::to_string(item.message.channel)).bind(6, item.message.thread_key);
    s.bind(7, item.message.to_user).bind_text_or_null(8, item.message.reply_to).bind(9, item.message.text);
    s.bind_text_or_null(10, item.agent).bind(11, m_clock.now()).bind_text_or_null(12, item.run_key);
    s.exec();
    return m_db.last_insert_id();
  });
}

Result<OutboxItem>
SqliteOutboxRepository::get(std::int64_t id)
{
  return guarded([&]() -> Result<OutboxItem> {
    auto rows = query("WHERE o.id = ?1", std::to_string(id));
    if (rows.empty())
      return no_such_item(id);
    return rows.front();
  });
}

Result<std::vector<OutboxItem>>
SqliteOutboxRepository::list(const std::string& status)
{
  return guarded([&]() -> Result<std::vector<OutboxItem>> {
    return status.empty() ? query("", "") : query("WHERE o.status = ?1", status);
  });
}

Status
SqliteOutboxRepository::begin_send(std::int64_t id, bool force)
{
  return m_store.transaction([&]() -> Status {
    SVC_TRY(item, get(id));
    bool may_send = item.status == "pending" || item.status == "failed"
                    || (force && (item.status == "unknown" || item.status == "sending"));
    if (!may_send) {
      if (item.status == "sent")
        return make_error(ErrorKind::conflict, "outbox item #{} was already sent", id);
      if (item.status == "cancelled")
        return make_error(ErrorKind::conflict, "outbox item #{} was cancelled", id);
      return make_error(ErrorKind::conflict, "outbox item #{} may already have been delivered (status {})", id,
                        item.status)
        .with_hint(fmt::format("check on the platform first; `svc outbox retry {} --force` sends it again", id));
    }
    return guarded([&]() -> Status {
      m_db.prepare("UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, m_clock.now())
        .exec();
      return {};
    });
  });
}

Status
SqliteOutboxRepository::mark_sent(std::int64_t id, const domain::SendResult& result)
{
  return m_store.transaction([&]() -> Status {
    SVC_TRY(item, get(id));
    return guarded([&]() -> Status {
      UnixTime now = m_clock.now();
      std::optional<std::int64_t> message_id;
      if (item.conversation_id) {
        // Platforms that return no id for a send (Weibo DMs, WeChat) get a local one.
        std::string pmid = result.platform_message_id.empty() ? fmt::format("svc-outbox:{}", id)
                                                              : result.platform_message_id;
        Stmt m = m_db.prepare(
          "INSERT INTO messages (account_id, conversation_id, contact_id, platform_message_id, direction, channel,"
          " author, agent, is_bot, text, created_at, stored_at, reply_to, via, raw)"
          " VALUES (?1, ?2, ?3, ?4, 'out', ?5, ?6, ?6, ?7, ?8, ?9, ?9, ?10, 'outbox', ?11)"
          " ON CONFLICT (account_id, platform_message_id) DO NOTHING");
        m.bind(1, item.account_id).bind(2, *item.conversation_id).bind(3, item.contact_id).bind(4, pmid);
        m.bind(5, domain::to_string(item.message.channel)).bind_text_or_null(6, item.agent);
        m.bind(7, item.kind == "bot" ? 1 : 0).bind(8, item.message.text).bind(9, now);
        m.bind_text_or_null(10, item.message.reply_to);
        if (result.raw.is_null())
          m.bind_null(11);
        else
          m.bind(11, result.raw.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        m.exec();
        if (m_db.changes() > 0)
          message_id = m_db.last_insert_id();
        m_db
          // Answered: nothing waits, and an open conversation now waits on the customer (pending) until
          // their next message puts it back to open.
          .prepare("UPDATE conversations SET last_outbound_at = ?2, first_response_at = coalesce(first_response_at, ?2),"
                   " waiting_since = NULL, status = CASE WHEN status = 'open' THEN 'pending' ELSE status END,"
                   " updated_at = ?2 WHERE id = ?1")
          .bind(1, *item.conversation_id)
          .bind(2, now)
          .exec();
        m_db
          .prepare("INSERT INTO audit_log (at, agent, action, conversation_id, detail) VALUES (?1, ?2, 'replied', ?3, ?4)")
          .bind(1, now)
          .bind_text_or_null(2, item.agent)
          .bind(3, *item.conversation_id)
          .bind(4, nlohmann::json{{"outbox_id", id}, {"platform_message_id", result.platform_message_id}}.dump())
          .exec();
      }
      m_db
        .prepare("UPDATE outbox SET status = 'sent', platform_message_id = ?2, message_id = ?3, sent_at = ?4,"
                 " updated_at = ?4, last_error = NULL WHERE id = ?1")
        .bind(1, id)
        .bind_text_or_null(2, result.platform_message_id)
        .bind(3, message_id)
        .bind(4, now)
        .exec();
      return {};
    });
  });
}

Status
SqliteOutboxRepository::mark_failed(std::int64_t id, const std::string& error, bool outcome_unknown)
{
  return guarded([&]() -> Status {
    m_db.prepare("UPDATE outbox SET status = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1")
      .bind(1, id)
      .bind(2, outcome_unknown ? "unknown" : "failed")
      .bind(3, error)
      .bind(4, m_clock.now())
      .exec();
    return {};
  });
}

Status
SqliteOutboxRepository::cancel(std::int64_t id)
{
  return m_store.transaction([&]() -> Status {
    SVC_TRY(item, get(id));
    if (item.status == "sent" || item.status == "sending")
      return make_error(ErrorKind::conflict, "outbox item #{} is {}: too late to cancel", id, item.status);
    return guarded([&]() -> Status {
      m_db.prepare("UPDATE outbox SET status = 'cancelled', updated_at = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, m_clock.now())
        .exec();
      return {};
    });
  });
}

} // namespace svc::store
