// ContactRepository on SQLite: reading contacts, their identities, timeline, notes and tags.
#include <algorithm>
#include <iterator>
#include <set>

#include <fmt/format.h>

#include <svc/store/repositories.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

constexpr const char* k_select_contact =
  "SELECT c.id, c.account_id, a.name, a.platform, c.platform_user_id, c.person_id, c.name, c.username,"
  " c.avatar_url, c.gender, c.location, c.followers, c.description, c.language, c.profile, c.first_seen_at,"
  " c.last_seen_at, c.last_inbound_at,"
  " (SELECT json_group_array(t.name) FROM contact_tags x JOIN tags t ON t.id = x.tag_id WHERE x.contact_id = c.id),"
  " (SELECT json_group_object(key, value) FROM contact_attributes WHERE contact_id = c.id)"
  " FROM contacts c JOIN accounts a ON a.id = c.account_id ";

Error
no_such_contact(const std::string& what)
{
  return make_error(ErrorKind::not_found, "no contact {}", what)
    .with_hint("`svc contact list` lists the contacts; CONTACT is an id or ACCOUNT:PLATFORM_USER_ID");
}

std::string
id_list(const std::vector<std::int64_t>& ids)
{
  std::string out;
  for (auto id : ids)
    out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

nlohmann::json
parse_json(const std::string& text, nlohmann::json fallback)
{
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

} // namespace

nlohmann::json
contact_profile(const domain::PlatformUser& u, UnixTime seen_at)
{
  nlohmann::json p = nlohmann::json::object();
  auto put = [&](const std::string& key, const nlohmann::json& value, bool keep_empty) {
    if (!value.is_null() && (keep_empty || !(value.is_string() && value.get<std::string>().empty())))
      p[key] = {{"value", value}, {"seen_at", seen_at}};
  };
  for (const auto& [key, value] : u.extra.items())
    put(key, value, true);
  // The typed fields win over an extra field of the same name.
  put("name", u.name, false);
  put("username", u.username, false);
  put("avatar_url", u.avatar_url, false);
  put("gender", u.gender, false);
  put("location", u.location, false);
  put("followers", u.followers ? nlohmann::json(*u.followers) : nlohmann::json(), false);
  put("description", u.description, false);
  put("language", u.language, false);
  return p;
}

std::vector<ContactRow>
SqliteContactRepository::query(const std::string& where, const std::vector<std::string>& args, const std::string& tail)
{
  Stmt s = m_db.prepare(std::string(k_select_contact) + where + tail);
  for (std::size_t i = 0; i < args.size(); ++i)
    s.bind(static_cast<int>(i + 1), args[i]);
  std::vector<ContactRow> out;
  while (s.step()) {
    ContactRow c;
    c.id = s.col_int(0);
    c.account_id = s.col_int(1);
    c.account = s.col_text(2);
    c.platform = domain::parse_platform(s.col_text(3)).value_or(domain::Platform::telegram);
    c.platform_user_id = s.col_text(4);
    c.person_id = s.col_opt_int(5);
    c.name = s.col_text(6);
    c.username = s.col_text(7);
    c.avatar_url = s.col_text(8);
    c.gender = s.col_text(9);
    c.location = s.col_text(10);
    c.followers = s.col_opt_int(11);
    c.description = s.col_text(12);
    c.language = s.col_text(13);
    c.profile = parse_json(s.col_text(14), nlohmann::json::object());
    c.first_seen_at = s.col_int(15);
    c.last_seen_at = s.col_int(16);
    c.last_inbound_at = s.col_opt_int(17);
    for (const auto& t : parse_json(s.col_text(18), nlohmann::json::array()))
      if (t.is_string())
        c.tags.push_back(t.get<std::string>());
    std::sort(c.tags.begin(), c.tags.end());
    const auto attributes = parse_json(s.col_text(19), nlohmann::json::object());
    for (const auto& [k, v] : attributes.items())
      if (v.is_string())
        c.attributes[k] = v.get<std::string>();
    out.push_back(std::move(c));
  }
  return out;
}

void
SqliteContactRepository::audit(std::int64_t contact_id, const std::string& by, const std::string& action,
                               const nlohmann::json& detail)
{
  m_db.prepare("INSERT INTO audit_log (at, agent, action, contact_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)")
    .bind(1, m_clock.now())
    .bind_text_or_null(2, by)
    .bind(3, action)
    .bind(4, contact_id)
    .bind(5, detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
    .exec();
}

std::int64_t
SqliteContactRepository::tag_id(const std::string& name)
{
  Stmt s = m_db.prepare("INSERT INTO tags (name, created_at) VALUES (?1, ?2)"
                        " ON CONFLICT (name) DO UPDATE SET name = name RETURNING id");
  s.bind(1, name).bind(2, m_clock.now());
  s.step();
  return s.col_int(0);
}

Result<std::vector<ContactRow>>
SqliteContactRepository::list(const ContactFilter& f)
{
  return guarded([&]() -> Result<std::vector<ContactRow>> {
    std::vector<std::string> args;
    auto arg = [&](const std::string& v) {
      args.push_back(v);
      return "?" + std::to_string(args.size());
    };
    std::string where = "WHERE 1";
    for (const auto& tag : f.tags) {
      Stmt known = m_db.prepare("SELECT 1 FROM tags WHERE name = ?1");
      known.bind(1, tag);
      if (!known.step())
        return make_error(ErrorKind::not_found, "no tag named '{}'", tag).with_hint("`svc tag list` shows the tags");
      where += " AND EXISTS (SELECT 1 FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
               " WHERE x.contact_id = c.id AND t.name = " + arg(tag) + ")";
    }
    if (f.account_id)
      where += " AND c.account_id = " + arg(std::to_string(*f.account_id));
    if (!f.search.empty()) {
      std::string p = arg(f.search);
      where += " AND (instr(lower(coalesce(c.name, '') || char(10) || coalesce(c.username, '') || char(10)"
               " || c.platform_user_id), lower(" + p + ")) > 0"
               " OR EXISTS (SELECT 1 FROM contact_attributes v WHERE v.contact_id = c.id"
               " AND instr(lower(v.value), lower(" + p + ")) > 0))";
    }
    std::string tail = " ORDER BY c.last_seen_at DESC, c.id DESC";
    if (f.limit > 0)
      tail += " LIMIT " + std::to_string(f.limit);
    return query(where, args, tail);
  });
}

Result<ContactRow>
SqliteContactRepository::get(std::int64_t id)
{
  return guarded([&]() -> Result<ContactRow> {
    auto found = query("WHERE c.id = ?1", {std::to_string(id)});
    if (found.empty())
      return no_such_contact(fmt::format("#{}", id));
    return found.front();
  });
}

Result<ContactRow>
SqliteContactRepository::find(const std::string& account, const std::string& platform_user_id)
{
  return guarded([&]() -> Result<ContactRow> {
    // The bound account of that name: an unbound one may have left its name to a new binding.
    auto found = query("WHERE a.name = ?1 AND a.unbound_at IS NULL AND c.platform_user_id = ?2",
                       {account, platform_user_id});
    if (found.empty())
      return no_such_contact(fmt::format("{}:{}", account, platform_user_id));
    return found.front();
  });
}

Result<std::vector<ContactRow>>
SqliteContactRepository::identities(std::int64_t id)
{
  SVC_TRY(contact, get(id));
  if (!contact.person_id)
    return std::vector<ContactRow>{contact};
  return guarded([&]() -> Result<std::vector<ContactRow>> {
    return query("WHERE c.person_id = ?1", {std::to_string(*contact.person_id)}, " ORDER BY c.id");
  });
}

Result<std::vector<TimelineEntry>>
SqliteContactRepository::timeline(std::int64_t id)
{
  SVC_TRY(identities_of, identities(id));
  std::vector<std::int64_t> ids;
  for (const auto& c : identities_of)
    ids.push_back(c.id);
  return guarded([&]() -> Result<std::vector<TimelineEntry>> {
    // A message names its contact; an old outbound row without one belongs to its private conversation's
    // contact (a comment thread is shared by every commenter, so only its own messages count there).
    std::string in = "(" + id_list(ids) + ")";
    Stmt s = m_db.prepare(
      "SELECT m.id, m.conversation_id, coalesce(m.contact_id, c.contact_id), a.name, a.platform, m.channel,"
      " m.direction, coalesce(m.author, ''), coalesce(m.agent, ''), m.text, m.kind, m.created_at"
      " FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN accounts a ON a.id = m.account_id"
      " WHERE m.contact_id IN " + in + " OR (m.contact_id IS NULL AND c.channel = 'dm' AND c.contact_id IN " + in + ")"
      " ORDER BY m.created_at, m.id");
    std::vector<TimelineEntry> out;
    while (s.step()) {
      TimelineEntry e;
      e.id = s.col_int(0);
      e.conversation_id = s.col_int(1);
      e.contact_id = s.col_int(2);
      e.account = s.col_text(3);
      e.platform = domain::parse_platform(s.col_text(4)).value_or(domain::Platform::telegram);
      e.channel = domain::parse_channel(s.col_text(5)).value_or(domain::ChannelKind::dm);
      e.direction = s.col_text(6) == "out" ? domain::Direction::out : domain::Direction::in;
      e.author = s.col_text(7);
      e.agent = s.col_text(8);
      e.text = s.col_text(9);
      e.kind = s.col_text(10);
      e.created_at = s.col_int(11);
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<std::vector<ContactNote>>
SqliteContactRepository::notes(std::int64_t id)
{
  SVC_CHECK(get(id));
  return guarded([&]() -> Result<std::vector<ContactNote>> {
    Stmt s = m_db.prepare("SELECT id, coalesce(author, ''), text, created_at FROM contact_notes"
                          " WHERE contact_id = ?1 ORDER BY created_at, id");
    s.bind(1, id);
    std::vector<ContactNote> out;
    while (s.step())
      out.push_back({s.col_int(0), s.col_text(1), s.col_text(2), s.col_int(3)});
    return out;
  });
}

Result<std::vector<ContactTag>>
SqliteContactRepository::tags(std::int64_t id)
{
  SVC_CHECK(get(id));
  return guarded([&]() -> Result<std::vector<ContactTag>> {
    Stmt s = m_db.prepare("SELECT t.name, x.source, x.created_at FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
                          " WHERE x.contact_id = ?1 ORDER BY t.name");
    s.bind(1, id);
    std::vector<ContactTag> out;
    while (s.step())
      out.push_back({s.col_text(0), s.col_text(1), s.col_int(2)});
    return out;
  });
}

} // namespace svc::store
