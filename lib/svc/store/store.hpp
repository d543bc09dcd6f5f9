// The state file behind repository interfaces. All SQL lives in lib/svc/store; commands and other lib
// modules see only these interfaces, so a PostgreSQL backend can be added later as another
// implementation of Store without touching them.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::store {

class AccountRepository
{
public:
  virtual ~AccountRepository() = default;
  // Bound accounts (unbound ones too with include_unbound), ordered by name.
  virtual Result<std::vector<domain::Account>> list(bool include_unbound = false) = 0;
  // A bound account by name: not_found (exit 3) with a hint listing how to see the names.
  virtual Result<domain::Account> get(const std::string& name) = 0;
  // The default account (`svc account use`), or the only bound account; not_found when neither.
  virtual Result<domain::Account> get_default() = 0;
  virtual Result<domain::Account> bind(const domain::Account& account, bool make_default) = 0;
  virtual Status set_default(const std::string& name) = 0;
  // Keeps messages and conversations (the account is marked unbound and its secrets are dropped)
  // unless purge, which deletes the account and everything that belongs to it.
  virtual Status unbind(const std::string& name, bool purge) = 0;
  virtual Status set_identity(std::int64_t account_id, const std::string& platform_user_id,
                              const std::string& display_name) = 0;
};

struct CheckReport {
  std::string integrity;     // "ok" or SQLite's first complaint
  int schema_version = 0;
  int known_version = 0;
  std::map<std::string, std::int64_t> counts; // table -> rows
  std::string journal_mode;
};

class Store
{
public:
  virtual ~Store() = default;
  virtual AccountRepository& accounts() = 0;
  // Runs `work` in one write transaction taken up front (BEGIN IMMEDIATE): all of it commits, or none
  // of it when `work` returns an error. Waits for other writers up to the busy timeout (exit 7 past it).
  virtual Status transaction(const std::function<Status()>& work) = 0;
  virtual Result<CheckReport> check() = 0;
  virtual Status vacuum() = 0;
  virtual int schema_version() const = 0;
  virtual int migrated_from() const = 0; // the version found on open (before any migration)
  virtual const std::filesystem::path& path() const = 0;
};

struct OpenOptions {
  std::filesystem::path path;
  bool create_if_missing = true;
  std::chrono::milliseconds busy_timeout{10000};
  const Clock* clock = nullptr; // required
};

// Opens (creating with mode 0600 in a 0700 directory when missing), identifies, and migrates the state
// file. Refuses (exit 7, file untouched) a file that is not an svc state file, is corrupt, or was
// written by a newer svc.
Result<std::unique_ptr<Store>> open_store(const OpenOptions& options);

int known_schema_version();

} // namespace svc::store
