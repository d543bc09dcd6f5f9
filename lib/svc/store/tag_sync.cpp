// TagSyncRepository on SQLite: tags, contact_tags, platform_tags and platform_tag_members (v4).
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

Result<TagSyncSnapshot>
SqliteTagSyncRepository::snapshot(std::int64_t account_id)
{
  return guarded([&]() -> Result<TagSyncSnapshot> {
    TagSyncSnapshot snap;
    Stmt contacts = m_db.prepare("SELECT id, platform_user_id FROM contacts WHERE account_id = ?1 ORDER BY id");
    contacts.bind(1, account_id);
    while (contacts.step())
      snap.contacts.push_back({contacts.col_int(0), contacts.col_text(1)});
    Stmt tags = m_db.prepare("SELECT id, name FROM tags ORDER BY id");
    while (tags.step())
      snap.tags.push_back({tags.col_int(0), tags.col_text(1)});
    Stmt members = m_db.prepare("SELECT ct.contact_id, ct.tag_id, ct.source FROM contact_tags ct"
                                " JOIN contacts c ON c.id = ct.contact_id WHERE c.account_id = ?1"
                                " ORDER BY ct.tag_id, ct.contact_id");
    members.bind(1, account_id);
    while (members.step())
      snap.memberships.push_back({members.col_int(0), members.col_int(1), members.col_text(2)});
    Stmt mappings = m_db.prepare("SELECT tag_id, platform_tag_id, synced_at FROM platform_tags WHERE account_id = ?1"
                                 " ORDER BY tag_id");
    mappings.bind(1, account_id);
    while (mappings.step())
      snap.mappings.push_back({mappings.col_int(0), mappings.col_text(1), mappings.col_int(2)});
    Stmt synced = m_db.prepare("SELECT tag_id, contact_id FROM platform_tag_members WHERE account_id = ?1"
                               " ORDER BY tag_id, contact_id");
    synced.bind(1, account_id);
    while (synced.step())
      snap.synced.push_back({synced.col_int(0), synced.col_int(1)});
    return snap;
  });
}

Result<std::int64_t>
SqliteTagSyncRepository::ensure_tag(const std::string& name)
{
  return guarded([&]() -> Result<std::int64_t> {
    m_db.prepare("INSERT OR IGNORE INTO tags (name, created_at) VALUES (?1, ?2)").bind(1, name).bind(2, m_clock.now()).exec();
    Stmt s = m_db.prepare("SELECT id FROM tags WHERE name = ?1");
    s.bind(1, name);
    s.step();
    return s.col_int(0);
  });
}

Status
SqliteTagSyncRepository::map(std::int64_t account_id, std::int64_t tag_id, const std::string& platform_tag_id)
{
  return guarded([&]() -> Status {
    Stmt taken = m_db.prepare("SELECT t.id, t.name FROM platform_tags p JOIN tags t ON t.id = p.tag_id"
                              " WHERE p.account_id = ?1 AND p.platform_tag_id = ?2");
    taken.bind(1, account_id).bind(2, platform_tag_id);
    if (taken.step()) {
      if (taken.col_int(0) == tag_id)
        return {}; // already so: its synced members stay
      return make_error(ErrorKind::conflict, "the platform tag {} is already synced with the tag '{}'", platform_tag_id,
                        taken.col_text(1));
    }
    // Deleting the old mapping forgets its synced members (ON DELETE CASCADE).
    m_db.prepare("DELETE FROM platform_tags WHERE account_id = ?1 AND tag_id = ?2").bind(1, account_id).bind(2, tag_id).exec();
    m_db.prepare("INSERT INTO platform_tags (account_id, tag_id, platform_tag_id, synced_at) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, account_id)
      .bind(2, tag_id)
      .bind(3, platform_tag_id)
      .bind(4, m_clock.now())
      .exec();
    return {};
  });
}

Status
SqliteTagSyncRepository::unmap(std::int64_t account_id, std::int64_t tag_id)
{
  return guarded([&]() -> Status {
    m_db.prepare("DELETE FROM platform_tags WHERE account_id = ?1 AND tag_id = ?2").bind(1, account_id).bind(2, tag_id).exec();
    return {};
  });
}

Status
SqliteTagSyncRepository::pull(std::int64_t tag_id, const std::vector<std::int64_t>& contact_ids)
{
  return guarded([&]() -> Status {
    Stmt s = m_db.prepare("INSERT OR IGNORE INTO contact_tags (contact_id, tag_id, created_at, source)"
                          " VALUES (?1, ?2, ?3, 'platform')");
    UnixTime now = m_clock.now();
    for (auto id : contact_ids) {
      s.reset();
      s.bind(1, id).bind(2, tag_id).bind(3, now).exec();
    }
    return {};
  });
}

Status
SqliteTagSyncRepository::drop(std::int64_t tag_id, const std::vector<std::int64_t>& contact_ids)
{
  return guarded([&]() -> Status {
    Stmt s = m_db.prepare("DELETE FROM contact_tags WHERE contact_id = ?1 AND tag_id = ?2 AND source = 'platform'");
    for (auto id : contact_ids) {
      s.reset();
      s.bind(1, id).bind(2, tag_id).exec();
    }
    return {};
  });
}

Status
SqliteTagSyncRepository::set_synced(std::int64_t account_id, std::int64_t tag_id,
                                    const std::vector<std::int64_t>& contact_ids, bool agreed)
{
  return guarded([&]() -> Status {
    Stmt s = m_db.prepare(agreed ? "INSERT OR IGNORE INTO platform_tag_members (account_id, tag_id, contact_id, synced_at)"
                                   " VALUES (?1, ?2, ?3, ?4)"
                                 : "DELETE FROM platform_tag_members WHERE account_id = ?1 AND tag_id = ?2"
                                   " AND contact_id = ?3");
    UnixTime now = m_clock.now();
    for (auto id : contact_ids) {
      s.reset();
      s.bind(1, account_id).bind(2, tag_id).bind(3, id);
      if (agreed)
        s.bind(4, now);
      s.exec();
    }
    return {};
  });
}

Status
SqliteTagSyncRepository::touch(std::int64_t account_id)
{
  return guarded([&]() -> Status {
    m_db.prepare("UPDATE platform_tags SET synced_at = ?2 WHERE account_id = ?1").bind(1, account_id).bind(2, m_clock.now()).exec();
    return {};
  });
}

} // namespace svc::store
