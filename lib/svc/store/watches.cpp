// WatchRepository on SQLite (the watches table of v1, with v5's channels and last_run_at).
#include <svc/store/watches.hpp>

#include <nlohmann/json.hpp>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

Error
no_such_watch(const std::string& name)
{
  return make_error(ErrorKind::not_found, "no watch named '{}'", name)
    .with_hint("`svc watch list` shows the watches");
}

constexpr const char* k_select_watch =
  "SELECT id, name, query, coalesce(tag, ''), channels, last_message_id, created_at, last_run_at FROM watches";

WatchRow
read_row(const Stmt& s)
{
  WatchRow w;
  w.id = s.col_int(0);
  w.name = s.col_text(1);
  w.query = s.col_text(2);
  w.tag = s.col_text(3);
  auto channels = nlohmann::json::parse(s.col_text(4), nullptr, false);
  if (channels.is_array())
    for (const auto& c : channels)
      if (c.is_string())
        w.channels.push_back(c.get<std::string>());
  w.last_message_id = s.col_int(5);
  w.created_at = s.col_int(6);
  w.last_run_at = s.col_opt_int(7);
  return w;
}

class SqliteWatchRepository final : public WatchRepository
{
public:
  explicit SqliteWatchRepository(Db& db) : m_db(db) {}

  Result<WatchRow> add(const WatchRow& watch) override
  {
    return guarded([&]() -> Result<WatchRow> {
      Stmt s = m_db.prepare("INSERT INTO watches (name, query, tag, channels, last_message_id, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO NOTHING");
      s.bind(1, watch.name).bind(2, watch.query).bind_text_or_null(3, watch.tag);
      s.bind(4, nlohmann::json(watch.channels).dump()).bind(5, watch.last_message_id).bind(6, watch.created_at);
      s.exec();
      if (m_db.changes() == 0)
        return make_error(ErrorKind::conflict, "a watch named '{}' already exists", watch.name)
          .with_hint(fmt::format("`svc watch remove {}` first, or pick another name", watch.name));
      WatchRow out = watch;
      out.id = m_db.last_insert_id();
      return out;
    });
  }

  Result<std::vector<WatchRow>> list() override
  {
    return guarded([&]() -> Result<std::vector<WatchRow>> {
      Stmt s = m_db.prepare(std::string(k_select_watch) + " ORDER BY name");
      std::vector<WatchRow> out;
      while (s.step())
        out.push_back(read_row(s));
      return out;
    });
  }

  Result<WatchRow> get(const std::string& name) override
  {
    return guarded([&]() -> Result<WatchRow> {
      Stmt s = m_db.prepare(std::string(k_select_watch) + " WHERE name = ?1");
      s.bind(1, name);
      if (!s.step())
        return no_such_watch(name);
      return read_row(s);
    });
  }

  Status advance(std::int64_t id, std::int64_t last_message_id, UnixTime at) override
  {
    return guarded([&]() -> Status {
      m_db.prepare("UPDATE watches SET last_message_id = max(last_message_id, ?2), last_run_at = ?3 WHERE id = ?1")
        .bind(1, id)
        .bind(2, last_message_id)
        .bind(3, at)
        .exec();
      return {};
    });
  }

  Status remove(const std::string& name) override
  {
    return guarded([&]() -> Status {
      m_db.prepare("DELETE FROM watches WHERE name = ?1").bind(1, name).exec();
      if (m_db.changes() == 0)
        return no_such_watch(name);
      return {};
    });
  }

private:
  Db& m_db;
};

} // namespace

std::unique_ptr<WatchRepository>
watches(Store& store)
{
  // The only Store there is; the cast stays here, inside lib/svc/store, which owns both types.
  return std::make_unique<SqliteWatchRepository>(dynamic_cast<SqliteStore&>(store).db());
}

} // namespace svc::store
