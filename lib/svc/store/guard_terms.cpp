// GuardTerms on SQLite (the guard_terms table of migration v1).
#include <svc/store/guard_terms.hpp>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

class SqliteGuardTerms final : public GuardTerms
{
public:
  explicit SqliteGuardTerms(SqliteStore& store) : m_store(store), m_db(store.db()) {}

  Result<std::vector<std::string>> add(const std::vector<GuardTerm>& terms) override
  {
    std::vector<std::string> added;
    SVC_CHECK(m_store.transaction([&]() -> Status {
      return guarded([&]() -> Status {
        Stmt s = m_db.prepare("INSERT INTO guard_terms (term, is_regex, created_at) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (term) DO NOTHING");
        for (const auto& t : terms) {
          s.reset();
          s.bind(1, t.term).bind(2, t.is_regex ? 1 : 0).bind(3, t.created_at).exec();
          if (m_db.changes() > 0)
            added.push_back(t.term);
        }
        return {};
      });
    }));
    return added;
  }

  Result<std::vector<GuardTerm>> list() override
  {
    return guarded([&]() -> Result<std::vector<GuardTerm>> {
      Stmt s = m_db.prepare("SELECT term, is_regex, created_at FROM guard_terms ORDER BY term");
      std::vector<GuardTerm> out;
      while (s.step())
        out.push_back({s.col_text(0), s.col_int(1) != 0, s.col_int(2)});
      return out;
    });
  }

  Status remove(const std::string& term) override
  {
    return guarded([&]() -> Status {
      m_db.prepare("DELETE FROM guard_terms WHERE term = ?1").bind(1, term).exec();
      if (m_db.changes() == 0)
        return make_error(ErrorKind::not_found, "'{}' is not on the guard list", term)
          .with_hint("`svc guard list` shows the terms as they are spelled");
      return {};
    });
  }

private:
  SqliteStore& m_store;
  Db& m_db;
};

} // namespace

std::unique_ptr<GuardTerms>
guard_terms(Store& store)
{
  return std::make_unique<SqliteGuardTerms>(dynamic_cast<SqliteStore&>(store));
}

} // namespace svc::store
