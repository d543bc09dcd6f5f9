// ContactRepository on SQLite: contacts, persons, attributes, notes, tags, and the import of a CSV's rows.
#include <algorithm>
#include <iterator>
#include <set>

#include <fmt/format.h>

#include <svc/store/repositories.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

constexpr const char* k_select =
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
  Stmt s = m_db.prepare(std::string(k_select) + where + tail);
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

Result<std::int64_t>
SqliteContactRepository::refresh(const domain::Account& account, const domain::PlatformUser& u, const std::string& by)
{
  if (u.id.empty())
    return make_error(ErrorKind::failed, "{} described a user without an id", domain::to_string(account.platform));
  std::int64_t id = 0;
  SVC_CHECK(m_store.transaction([&]() -> Status {
    return guarded([&]() -> Status {
      UnixTime now = m_clock.now();
      Stmt known = m_db.prepare("SELECT 1 FROM contacts WHERE account_id = ?1 AND platform_user_id = ?2");
      known.bind(1, account.id).bind(2, u.id);
      bool created = !known.step();
      known.reset();
      // The same merge as a pulled message's author (messages.cpp), without an inbound time.
      Stmt c = m_db.prepare(
        "INSERT INTO contacts (account_id, platform_user_id, name, username, avatar_url, gender, location, followers,"
        " description, language, profile, first_seen_at, last_seen_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"
        " ON CONFLICT (account_id, platform_user_id) DO UPDATE SET"
        " name = coalesce(excluded.name, name), username = coalesce(excluded.username, username),"
        " avatar_url = coalesce(excluded.avatar_url, avatar_url), gender = coalesce(excluded.gender, gender),"
        " location = coalesce(excluded.location, location), followers = coalesce(excluded.followers, followers),"
        " description = coalesce(excluded.description, description),"
        " language = coalesce(excluded.language, language),"
        " profile = json_patch(profile, excluded.profile), last_seen_at = excluded.last_seen_at"
        " RETURNING id");
      c.bind(1, account.id).bind(2, u.id).bind_text_or_null(3, u.name).bind_text_or_null(4, u.username);
      c.bind_text_or_null(5, u.avatar_url).bind_text_or_null(6, u.gender).bind_text_or_null(7, u.location);
      c.bind(8, u.followers).bind_text_or_null(9, u.description).bind_text_or_null(10, u.language);
      c.bind(11, contact_profile(u, now).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      c.bind(12, now);
      c.step();
      id = c.col_int(0);
      c.reset();
      audit(id, by, "looked_up", {{"platform_user_id", u.id}, {"created", created}});
      return {};
    });
  }));
  return id;
}

Result<std::int64_t>
SqliteContactRepository::link(std::int64_t a, std::int64_t b, const std::string& by)
{
  if (a == b)
    return make_error(ErrorKind::usage, "contact #{} is the same identity twice", a)
      .with_hint("link two different contacts: `svc contact link A B`");
  std::int64_t person = 0;
  SVC_CHECK(m_store.transaction([&]() -> Status {
    SVC_TRY(ca, get(a));
    SVC_TRY(cb, get(b));
    return guarded([&]() -> Status {
      if (ca.person_id && cb.person_id && *ca.person_id == *cb.person_id) {
        person = *ca.person_id;
        return {}; // already one person
      }
      std::vector<std::int64_t> moved; // contacts whose person changes
      if (ca.person_id) {
        person = *ca.person_id;
      } else if (cb.person_id) {
        person = *cb.person_id;
      } else {
        m_db.prepare("INSERT INTO persons (created_at) VALUES (?1)").bind(1, m_clock.now()).exec();
        person = m_db.last_insert_id();
      }
      std::optional<std::int64_t> merged; // the other person, merged into `person`
      for (const ContactRow* c : {&ca, &cb}) {
        if (!c->person_id)
          moved.push_back(c->id);
        else if (*c->person_id != person)
          merged = *c->person_id;
      }
      if (merged) {
        Stmt s = m_db.prepare("SELECT id FROM contacts WHERE person_id = ?1 ORDER BY id");
        s.bind(1, *merged);
        while (s.step())
          moved.push_back(s.col_int(0));
      }
      for (auto id : moved)
        m_db.prepare("UPDATE contacts SET person_id = ?2 WHERE id = ?1").bind(1, id).bind(2, person).exec();
      if (merged)
        m_db.prepare("DELETE FROM persons WHERE id = ?1").bind(1, *merged).exec();
      for (const ContactRow* c : {&ca, &cb}) {
        nlohmann::json detail = {{"with", c->id == a ? b : a}, {"person_id", person}};
        if (merged)
          detail["merged_person_id"] = *merged;
        audit(c->id, by, "linked", detail);
      }
      for (auto id : moved)
        if (id != a && id != b)
          audit(id, by, "linked", {{"person_id", person}, {"merged_person_id", *merged}, {"via", a}});
      return {};
    });
  }));
  return person;
}

Result<bool>
SqliteContactRepository::unlink(std::int64_t id, const std::string& by)
{
  bool changed = false;
  SVC_CHECK(m_store.transaction([&]() -> Status {
    SVC_TRY(c, get(id));
    if (!c.person_id)
      return {};
    return guarded([&]() -> Status {
      changed = true;
      std::int64_t person = *c.person_id;
      m_db.prepare("UPDATE contacts SET person_id = NULL WHERE id = ?1").bind(1, id).exec();
      audit(id, by, "unlinked", {{"person_id", person}});
      // A person of one identity links nothing: dissolved.
      Stmt rest = m_db.prepare("SELECT id FROM contacts WHERE person_id = ?1");
      rest.bind(1, person);
      std::vector<std::int64_t> left;
      while (rest.step())
        left.push_back(rest.col_int(0));
      if (left.size() <= 1) {
        for (auto other : left) {
          m_db.prepare("UPDATE contacts SET person_id = NULL WHERE id = ?1").bind(1, other).exec();
          audit(other, by, "unlinked", {{"person_id", person}, {"because", id}});
        }
        m_db.prepare("DELETE FROM persons WHERE id = ?1").bind(1, person).exec();
      }
      return {};
    });
  }));
  return changed;
}

Status
SqliteContactRepository::set_attributes(std::int64_t id, const std::map<std::string, std::string>& values,
                                        const std::string& by)
{
  return m_store.transaction([&]() -> Status {
    SVC_TRY(c, get(id));
    return guarded([&]() -> Status {
      nlohmann::json set = nlohmann::json::object(), removed = nlohmann::json::array();
      for (const auto& [key, value] : values) {
        auto old = c.attributes.find(key);
        if (value.empty()) {
          if (old == c.attributes.end())
            continue;
          m_db.prepare("DELETE FROM contact_attributes WHERE contact_id = ?1 AND key = ?2").bind(1, id).bind(2, key).exec();
          removed.push_back(key);
        } else if (old == c.attributes.end() || old->second != value) {
          m_db
            .prepare("INSERT INTO contact_attributes (contact_id, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)"
                     " ON CONFLICT (contact_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
            .bind(1, id)
            .bind(2, key)
            .bind(3, value)
            .bind(4, m_clock.now())
            .exec();
          set[key] = value;
        }
      }
      if (!set.empty() || !removed.empty())
        audit(id, by, "attributes_set", {{"set", set}, {"removed", removed}});
      return {};
    });
  });
}

Result<std::int64_t>
SqliteContactRepository::add_note(std::int64_t id, const std::string& text, const std::string& by)
{
  if (text.empty())
    return make_error(ErrorKind::usage, "the note is empty").with_hint("`svc contact note CONTACT TEXT`");
  std::int64_t note = 0;
  SVC_CHECK(m_store.transaction([&]() -> Status {
    SVC_CHECK(get(id));
    return guarded([&]() -> Status {
      m_db.prepare("INSERT INTO contact_notes (contact_id, author, text, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, id)
        .bind_text_or_null(2, by)
        .bind(3, text)
        .bind(4, m_clock.now())
        .exec();
      note = m_db.last_insert_id();
      audit(id, by, "noted", {{"note_id", note}});
      return {};
    });
  }));
  return note;
}

Result<TagChange>
SqliteContactRepository::add_tags(std::int64_t id, const std::vector<std::string>& names, const std::string& source,
                                  const std::string& by)
{
  TagChange change;
  SVC_CHECK(m_store.transaction([&]() -> Status {
    change = {};
    SVC_CHECK(get(id));
    return guarded([&]() -> Status {
      for (const auto& name : std::set<std::string>(names.begin(), names.end())) {
        m_db
          .prepare("INSERT INTO contact_tags (contact_id, tag_id, created_at, source) VALUES (?1, ?2, ?3, ?4)"
                   " ON CONFLICT (contact_id, tag_id) DO NOTHING")
          .bind(1, id)
          .bind(2, tag_id(name))
          .bind(3, m_clock.now())
          .bind(4, source)
          .exec();
        (m_db.changes() > 0 ? change.changed : change.unchanged).push_back(name);
      }
      if (!change.changed.empty())
        audit(id, by, "tagged", {{"tags", change.changed}, {"source", source}});
      return {};
    });
  }));
  return change;
}

Result<TagChange>
SqliteContactRepository::remove_tags(std::int64_t id, const std::vector<std::string>& names, const std::string& by)
{
  TagChange change;
  SVC_CHECK(m_store.transaction([&]() -> Status {
    change = {};
    SVC_CHECK(get(id));
    return guarded([&]() -> Status {
      for (const auto& name : std::set<std::string>(names.begin(), names.end())) {
        m_db
          .prepare("DELETE FROM contact_tags WHERE contact_id = ?1 AND tag_id = (SELECT id FROM tags WHERE name = ?2)")
          .bind(1, id)
          .bind(2, name)
          .exec();
        (m_db.changes() > 0 ? change.changed : change.unchanged).push_back(name);
      }
      if (!change.changed.empty())
        audit(id, by, "untagged", {{"tags", change.changed}});
      return {};
    });
  }));
  return change;
}

Result<std::vector<TagCount>>
SqliteContactRepository::tag_counts()
{
  return guarded([&]() -> Result<std::vector<TagCount>> {
    Stmt s = m_db.prepare("SELECT t.name, count(x.contact_id), t.created_at FROM tags t"
                          " LEFT JOIN contact_tags x ON x.tag_id = t.id GROUP BY t.id ORDER BY t.name");
    std::vector<TagCount> out;
    while (s.step())
      out.push_back({s.col_text(0), s.col_int(1), s.col_int(2)});
    return out;
  });
}

Result<ImportReport>
SqliteContactRepository::import(const std::vector<ImportRow>& rows, bool skip_bad, const std::string& by)
{
  ImportReport report;
  bool rolled_back = false;
  auto done = m_store.transaction([&]() -> Status {
    report = {};
    for (const auto& row : rows) {
      if (!row.error.empty()) {
        report.bad.push_back({row.line, row.error});
        continue;
      }
      // The contact the row names: by id, or by account and platform user id; both must agree.
      Result<ContactRow> found = row.id ? get(*row.id) : find(row.account, row.platform_user_id);
      if (!found) {
        if (found.error().kind != ErrorKind::not_found)
          return std::move(found).error();
        report.bad.push_back({row.line, found.error().message});
        continue;
      }
      const ContactRow& c = *found;
      if (row.id && (!row.account.empty() || !row.platform_user_id.empty())
          && ((!row.account.empty() && row.account != c.account)
              || (!row.platform_user_id.empty() && row.platform_user_id != c.platform_user_id))) {
        report.bad.push_back({row.line, fmt::format("contact #{} is {}:{}, not {}:{}", c.id, c.account,
                                                    c.platform_user_id, row.account, row.platform_user_id)});
        continue;
      }
      nlohmann::json added = nlohmann::json::array(), removed = nlohmann::json::array();
      if (row.tags) {
        std::set<std::string> want(row.tags->begin(), row.tags->end()), have(c.tags.begin(), c.tags.end());
        std::vector<std::string> add, drop;
        std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(add));
        std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(drop));
        if (!add.empty())
          SVC_CHECK(add_tags(c.id, add, "import", by));
        if (!drop.empty())
          SVC_CHECK(remove_tags(c.id, drop, by));
        added = add;
        removed = drop;
      }
      std::map<std::string, std::string> attributes;
      for (const auto& [key, value] : row.attributes) {
        auto old = c.attributes.find(key);
        if (value.empty() ? old != c.attributes.end() : old == c.attributes.end() || old->second != value)
          attributes[key] = value;
      }
      if (!attributes.empty())
        SVC_CHECK(set_attributes(c.id, attributes, by));
      if (added.empty() && removed.empty() && attributes.empty()) {
        ++report.unchanged;
        continue;
      }
      ++report.changed;
      SVC_CHECK(guarded([&]() -> Status {
        audit(c.id, by, "imported", {{"line", row.line}, {"tags_added", added}, {"tags_removed", removed},
                                     {"attributes", attributes}});
        return {};
      }));
    }
    if (!report.bad.empty() && !skip_bad) {
      rolled_back = true;
      return make_error(ErrorKind::usage, "bad rows: nothing imported"); // rolls the transaction back
    }
    return {};
  });
  if (!done && !rolled_back)
    return std::move(done).error();
  report.applied = !rolled_back;
  return report;
}

} // namespace svc::store
