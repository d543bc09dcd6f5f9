// ContactRepository on SQLite: refreshing a contact from a lookup, linking identities into persons,
// attributes, notes and tags.
#include <algorithm>
#include <iterator>
#include <set>

#include <fmt/format.h>

#include <svc/store/repositories.hpp>
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

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

} // namespace svc::store
