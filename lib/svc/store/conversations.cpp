// Reading conversations and their transcripts.
#include <svc/store/repositories.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

constexpr const char* k_select_conversation =
  "SELECT c.id, a.name, a.platform, c.channel, c.thread_key, coalesce(c.contact_id, 0), ct.name,"
  " ct.platform_user_id, c.status, ag.name, g.name, c.waiting_since, c.created_at, c.updated_at,"
  " (SELECT group_concat(t.name, ',') FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
  "   WHERE x.contact_id = c.contact_id),"
  " m.id, m.direction, m.text, m.created_at, m.author, m.channel"
  " FROM conversations c JOIN accounts a ON a.id = c.account_id"
  " LEFT JOIN contacts ct ON ct.id = c.contact_id"
  " LEFT JOIN agents ag ON ag.id = c.assignee_id"
  " LEFT JOIN groups g ON g.id = c.group_id"
  " LEFT JOIN messages m ON m.id = (SELECT id FROM messages WHERE conversation_id = c.id"
  "   ORDER BY created_at DESC, id DESC LIMIT 1) ";

std::vector<std::string>
split_tags(const std::string& s)
{
  std::vector<std::string> out;
  std::size_t start = 0;
  while (!s.empty() && start <= s.size()) {
    auto comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return out;
}

MessageRow
read_message(const Stmt& s, int first)
{
  MessageRow m;
  m.id = s.col_int(first);
  m.conversation_id = s.col_int(first + 1);
  m.direction = s.col_text(first + 2) == "out" ? domain::Direction::out : domain::Direction::in;
  m.channel = domain::parse_channel(s.col_text(first + 3)).value_or(domain::ChannelKind::dm);
  m.author = s.col_text(first + 4);
  m.agent = s.col_text(first + 5);
  m.text = s.col_text(first + 6);
  m.created_at = s.col_int(first + 7);
  m.platform_message_id = s.col_text(first + 8);
  m.reply_to = s.col_text(first + 9);
  m.kind = s.col_text(first + 10);
  m.raw = s.col_text(first + 11);
  return m;
}

} // namespace

std::vector<ConversationRow>
SqliteConversationRepository::query(const std::string& where, const std::vector<std::string>& args,
                                    const std::string& order, int limit)
{
  Stmt s = m_db.prepare(std::string(k_select_conversation) + where + order + " LIMIT " + std::to_string(limit));
  for (std::size_t i = 0; i < args.size(); ++i)
    s.bind(static_cast<int>(i + 1), args[i]);
  std::vector<ConversationRow> out;
  while (s.step()) {
    ConversationRow r;
    r.id = s.col_int(0);
    r.account = s.col_text(1);
    r.platform = domain::parse_platform(s.col_text(2)).value_or(domain::Platform::telegram);
    r.channel = domain::parse_channel(s.col_text(3)).value_or(domain::ChannelKind::dm);
    r.thread_key = s.col_text(4);
    r.contact_id = s.col_int(5);
    r.contact_name = s.col_text(6);
    r.contact_platform_id = s.col_text(7);
    r.status = s.col_text(8);
    r.assignee = s.col_text(9);
    r.group = s.col_text(10);
    if (!s.col_null(11))
      r.waiting_since = s.col_int(11);
    r.created_at = s.col_int(12);
    r.updated_at = s.col_int(13);
    r.tags = split_tags(s.col_text(14));
    if (!s.col_null(15)) {
      MessageRow m;
      m.id = s.col_int(15);
      m.direction = s.col_text(16) == "out" ? domain::Direction::out : domain::Direction::in;
      m.text = s.col_text(17);
      m.created_at = s.col_int(18);
      m.author = s.col_text(19);
      m.channel = domain::parse_channel(s.col_text(20)).value_or(domain::ChannelKind::dm);
      m.conversation_id = r.id;
      r.last_message = m;
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<ConversationRow>>
SqliteConversationRepository::list(const ConversationFilter& f)
{
  return guarded([&]() -> Result<std::vector<ConversationRow>> {
    std::string where = "WHERE 1";
    std::vector<std::string> args;
    auto arg = [&](std::string v) {
      args.push_back(std::move(v));
      return "?" + std::to_string(args.size());
    };
    if (f.status == "open")
      where += " AND c.status IN ('open', 'pending')";
    else if (f.status != "all")
      where += " AND c.status = " + arg(f.status);
    if (f.account_id)
      where += " AND c.account_id = " + arg(std::to_string(*f.account_id));
    if (f.channel)
      where += " AND c.channel = " + arg(std::string(domain::to_string(*f.channel)));
    if (f.assignee == "none")
      where += " AND c.assignee_id IS NULL";
    else if (!f.assignee.empty())
      where += " AND ag.name = " + arg(f.assignee);
    if (!f.group.empty())
      where += " AND g.name = " + arg(f.group);
    if (!f.tag.empty())
      where += " AND EXISTS (SELECT 1 FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
               " WHERE x.contact_id = c.contact_id AND t.name = " + arg(f.tag) + ")";
    return query(where, args, " ORDER BY c.waiting_since IS NULL, c.waiting_since, c.updated_at DESC, c.id",
                 f.limit);
  });
}

Result<ConversationRow>
SqliteConversationRepository::get(std::int64_t id)
{
  return guarded([&]() -> Result<ConversationRow> {
    auto rows = query("WHERE c.id = ?1", {std::to_string(id)}, "", 1);
    if (rows.empty())
      return make_error(ErrorKind::not_found, "no conversation #{}", id)
        .with_hint("`svc inbox --status all` lists conversations");
    return rows.front();
  });
}

Result<std::vector<MessageRow>>
SqliteConversationRepository::messages(std::int64_t conversation_id)
{
  return guarded([&]() -> Result<std::vector<MessageRow>> {
    Stmt s = m_db.prepare("SELECT id, conversation_id, direction, channel, author, agent, text, created_at,"
                          " platform_message_id, reply_to, kind, raw FROM messages WHERE conversation_id = ?1"
                          " ORDER BY created_at, id");
    s.bind(1, conversation_id);
    std::vector<MessageRow> out;
    while (s.step())
      out.push_back(read_message(s, 0));
    return out;
  });
}

} // namespace svc::store
