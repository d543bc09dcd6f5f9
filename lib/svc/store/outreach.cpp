// OutreachRepository on SQLite: the targets of `svc send` and the outbox rows of its runs.
#include <svc/store/sqlite_store.hpp>

#include <algorithm>
#include <cctype>

namespace svc::store {

namespace {

// A contact with what a proactive message needs: the newest private message from them (the platform
// windows start there: a comment or an event such as a WeChat follow does not open the 48 h window) and
// their private conversation on the account, if any: the one whose thread is the contact's own id (a
// Telegram group they wrote in first is a 'dm' conversation too, and must never get their message).
constexpr const char* k_select_target =
  "SELECT c.id, c.account_id, c.platform_user_id, coalesce(c.name, ''),"
  " (SELECT max(m.created_at) FROM messages m WHERE m.contact_id = c.id AND m.direction = 'in'"
  "   AND m.channel = 'dm' AND m.kind <> 'event'),"
  " (SELECT v.id FROM conversations v WHERE v.account_id = c.account_id AND v.channel = 'dm'"
  "   AND v.thread_key = c.platform_user_id)"
  " FROM contacts c ";

Error
no_such_target(const std::string& what)
{
  return make_error(ErrorKind::not_found, "no contact {}", what)
    .with_hint("`svc pull` fetches the customers who wrote; `svc inbox` lists their conversations");
}

bool
all_digits(const std::string& s)
{
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

} // namespace

std::vector<OutreachContact>
SqliteOutreachRepository::query(const std::string& join_where, const std::vector<std::string>& args)
{
  Stmt s = m_db.prepare(std::string(k_select_target) + join_where + " ORDER BY c.id");
  for (std::size_t i = 0; i < args.size(); ++i)
    s.bind(static_cast<int>(i + 1), args[i]);
  std::vector<OutreachContact> out;
  while (s.step()) {
    OutreachContact c;
    c.id = s.col_int(0);
    c.account_id = s.col_int(1);
    c.platform_user_id = s.col_text(2);
    c.name = s.col_text(3);
    c.last_private_inbound = s.col_opt_int(4);
    c.conversation_id = s.col_opt_int(5);
    out.push_back(std::move(c));
  }
  Stmt attributes = m_db.prepare("SELECT key, value FROM contact_attributes WHERE contact_id = ?1 ORDER BY key");
  for (auto& c : out) {
    attributes.reset();
    attributes.bind(1, c.id);
    while (attributes.step())
      c.attributes.emplace(attributes.col_text(0), attributes.col_text(1));
  }
  return out;
}

Result<std::vector<OutreachContact>>
SqliteOutreachRepository::tagged(std::int64_t account_id, const std::string& tag)
{
  return guarded([&]() -> Result<std::vector<OutreachContact>> {
    Stmt known = m_db.prepare("SELECT 1 FROM tags WHERE name = ?1");
    known.bind(1, tag);
    if (!known.step())
      return make_error(ErrorKind::not_found, "no tag named '{}'", tag).with_hint("`svc tag list` shows the tags");
    return query("JOIN contact_tags ct ON ct.contact_id = c.id JOIN tags t ON t.id = ct.tag_id"
                 " WHERE c.account_id = ?1 AND t.name = ?2",
                 {std::to_string(account_id), tag});
  });
}

Result<OutreachContact>
SqliteOutreachRepository::find(std::int64_t account_id, const std::string& ref, bool platform_id_only)
{
  return guarded([&]() -> Result<OutreachContact> {
    // An svc id first: svc's ids are small, the platforms' numeric ids (Weibo uid, Telegram id) long,
    // and `ACCOUNT:ID` always means the platform's.
    if (!platform_id_only && all_digits(ref) && ref.size() < 19) {
      auto by_id = query("WHERE c.account_id = ?1 AND c.id = ?2", {std::to_string(account_id), ref});
      if (!by_id.empty())
        return by_id.front();
    }
    auto by_platform = query("WHERE c.account_id = ?1 AND c.platform_user_id = ?2", {std::to_string(account_id), ref});
    if (!by_platform.empty())
      return by_platform.front();
    return no_such_target(fmt::format("'{}' on this account", ref));
  });
}

Result<OutreachContact>
SqliteOutreachRepository::contact(std::int64_t contact_id)
{
  return guarded([&]() -> Result<OutreachContact> {
    auto found = query("WHERE c.id = ?1", {std::to_string(contact_id)});
    if (found.empty())
      return no_such_target(fmt::format("#{}", contact_id));
    return found.front();
  });
}

Result<std::vector<OutboxItem>>
SqliteOutreachRepository::run(const std::string& run_key)
{
  return guarded([&]() -> Result<std::vector<OutboxItem>> {
    Stmt s = m_db.prepare("SELECT id FROM outbox WHERE run_key = ?1 ORDER BY id");
    s.bind(1, run_key);
    std::vector<std::int64_t> ids;
    while (s.step())
      ids.push_back(s.col_int(0));
    std::vector<OutboxItem> out;
    for (auto id : ids) {
      SVC_TRY(item, m_store.outbox().get(id));
      out.push_back(std::move(item));
    }
    return out;
  });
}

Result<OutboxItem>
SqliteOutreachRepository::record_once(const OutboxItem& item)
{
  if (item.run_key.empty() || !item.contact_id)
    return make_error(ErrorKind::failed, "a run's outbox row needs a run key and a contact");
  std::int64_t id = 0;
  SVC_CHECK(m_store.transaction([&]() -> Status {
    return guarded([&]() -> Status {
      Stmt existing = m_db.prepare("SELECT id FROM outbox WHERE run_key = ?1 AND contact_id = ?2");
      existing.bind(1, item.run_key).bind(2, *item.contact_id);
      if (existing.step()) {
        id = existing.col_int(0);
        return {};
      }
      SVC_TRY(recorded, m_store.outbox().record(item));
      id = recorded;
      return {};
    });
  }));
  return m_store.outbox().get(id);
}

Status
SqliteOutreachRepository::mark_sent(std::int64_t outbox_id, const domain::SendResult& result,
                                    std::optional<std::int64_t> conversation_id)
{
  return m_store.transaction([&]() -> Status {
    SVC_CHECK(m_store.outbox().mark_sent(outbox_id, result));
    if (!conversation_id)
      return {};
    SVC_TRY(item, m_store.outbox().get(outbox_id));
    if (item.conversation_id)
      return {}; // the outbox put it in its conversation already
    return guarded([&]() -> Status {
      UnixTime now = m_clock.now();
      // Platforms that return no id for a send (Weibo DMs, WeChat) get a local one, which a later pull
      // of the platform's own record of it (WeChat chat history) adopts instead of storing it twice.
      std::string pmid = result.platform_message_id.empty() ? fmt::format("svc-outbox:{}", outbox_id)
                                                            : result.platform_message_id;
      Stmt m = m_db.prepare(
        "INSERT INTO messages (account_id, conversation_id, contact_id, platform_message_id, direction, channel,"
        " author, agent, text, created_at, stored_at, via, raw)"
        " VALUES (?1, ?2, ?3, ?4, 'out', 'dm', ?5, ?5, ?6, ?7, ?7, 'outbox', ?8)"
        " ON CONFLICT (account_id, platform_message_id) DO NOTHING");
      m.bind(1, item.account_id).bind(2, *conversation_id).bind(3, item.contact_id).bind(4, pmid);
      m.bind_text_or_null(5, item.agent).bind(6, item.message.text).bind(7, now);
      if (result.raw.is_null())
        m.bind_null(8);
      else
        m.bind(8, result.raw.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      m.exec();
      std::optional<std::int64_t> message_id;
      if (m_db.changes() > 0)
        message_id = m_db.last_insert_id();
      m_db.prepare("UPDATE outbox SET conversation_id = ?2, message_id = coalesce(?3, message_id) WHERE id = ?1")
        .bind(1, outbox_id)
        .bind(2, *conversation_id)
        .bind(3, message_id)
        .exec();
      m_db.prepare("UPDATE conversations SET updated_at = ?2 WHERE id = ?1").bind(1, *conversation_id).bind(2, now).exec();
      m_db
        .prepare("INSERT INTO audit_log (at, agent, action, conversation_id, contact_id, detail)"
                 " VALUES (?1, ?2, 'sent', ?3, ?4, ?5)")
        .bind(1, now)
        .bind_text_or_null(2, item.agent)
        .bind(3, *conversation_id)
        .bind(4, item.contact_id)
        .bind(5, nlohmann::json{{"outbox_id", outbox_id},
                                {"run_key", item.run_key},
                                {"platform_message_id", result.platform_message_id}}
                   .dump())
        .exec();
      return {};
    });
  });
}

} // namespace svc::store
