// Saved keyword queries (`svc watch`): a name, the query as the user typed it, an optional tag for the
// contacts of matching messages, the channels it covers, and its high-water mark (the largest message
// id its last run or its creation had seen).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

class Store;

struct WatchRow {
  std::int64_t id = 0;
  std::string name;
  std::string query;
  std::string tag;                   // "" for none
  std::vector<std::string> channels; // empty: every channel
  std::int64_t last_message_id = 0;
  UnixTime created_at = 0;
  std::optional<UnixTime> last_run_at;
};

class WatchRepository
{
public:
  virtual ~WatchRepository() = default;
  // conflict (exit 6) when the name is taken. Returns the row with its id.
  virtual Result<WatchRow> add(const WatchRow& watch) = 0;
  virtual Result<std::vector<WatchRow>> list() = 0;                // by name
  virtual Result<WatchRow> get(const std::string& name) = 0;       // not_found (exit 3)
  virtual Status advance(std::int64_t id, std::int64_t last_message_id, UnixTime at) = 0;
  virtual Status remove(const std::string& name) = 0;              // not_found (exit 3)
};

// The watches of a state file opened by open_store (the SQLite store).
std::unique_ptr<WatchRepository> watches(Store& store);

} // namespace svc::store
