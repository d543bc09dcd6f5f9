#include <svc/store/contact_names.hpp>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

class SqliteContactNames final : public ContactNames
{
public:
  explicit SqliteContactNames(Db& db) : m_db(db) {}

  Result<std::vector<std::string>> nameless(std::int64_t account_id, const std::vector<std::string>& ids) override
  {
    return guarded([&]() -> Result<std::vector<std::string>> {
      Stmt s = m_db.prepare("SELECT 1 FROM contacts WHERE account_id = ?1 AND platform_user_id = ?2"
                            " AND coalesce(name, '') = ''");
      std::vector<std::string> out;
      for (const auto& id : ids) {
        s.bind(1, account_id).bind(2, id);
        if (s.step())
          out.push_back(id);
        s.reset();
      }
      return out;
    });
  }

private:
  Db& m_db;
};

} // namespace

std::unique_ptr<ContactNames>
contact_names(Store& store)
{
  // The only Store there is; the cast stays here, inside lib/svc/store, which owns both types.
  return std::make_unique<SqliteContactNames>(dynamic_cast<SqliteStore&>(store).db());
}

} // namespace svc::store
