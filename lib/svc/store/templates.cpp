// TemplateRepository on SQLite.
#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

Error
no_such_template(const std::string& name)
{
  return make_error(ErrorKind::not_found, "no template named '{}'", name)
    .with_hint("`svc template list` shows the templates");
}

} // namespace

Status
SqliteTemplateRepository::put(const std::string& name, const std::string& text)
{
  return guarded([&]() -> Status {
    UnixTime now = m_clock.now();
    m_db.prepare("INSERT INTO templates (name, text, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)"
                 " ON CONFLICT (name) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at")
      .bind(1, name)
      .bind(2, text)
      .bind(3, now)
      .exec();
    return {};
  });
}

Result<std::vector<TemplateRow>>
SqliteTemplateRepository::list()
{
  return guarded([&]() -> Result<std::vector<TemplateRow>> {
    Stmt s = m_db.prepare("SELECT name, text, created_at, updated_at FROM templates ORDER BY name");
    std::vector<TemplateRow> out;
    while (s.step())
      out.push_back({s.col_text(0), s.col_text(1), s.col_int(2), s.col_int(3)});
    return out;
  });
}

Result<TemplateRow>
SqliteTemplateRepository::get(const std::string& name)
{
  return guarded([&]() -> Result<TemplateRow> {
    Stmt s = m_db.prepare("SELECT name, text, created_at, updated_at FROM templates WHERE name = ?1");
    s.bind(1, name);
    if (!s.step())
      return no_such_template(name);
    return TemplateRow{s.col_text(0), s.col_text(1), s.col_int(2), s.col_int(3)};
  });
}

Status
SqliteTemplateRepository::remove(const std::string& name)
{
  return guarded([&]() -> Status {
    m_db.prepare("DELETE FROM templates WHERE name = ?1").bind(1, name).exec();
    if (m_db.changes() == 0)
      return no_such_template(name);
    return {};
  });
}

} // namespace svc::store
