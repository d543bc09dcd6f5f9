// `svc watch`: saved queries over the customers' messages (inbound comments, mentions and DMs, by
// text; names are not looked at). A watch is backfilled when it is added (the history's matches are
// counted, and tagged with --tag) and remembers the newest message it has seen; each run lists the
// matches that arrived since and moves that mark, tagging in the same transaction.
#pragma once

#include <string>
#include <vector>

#include <svc/core/result.hpp>
#include <svc/history/search.hpp>
#include <svc/store/store.hpp>
#include <svc/store/watches.hpp>

namespace svc::history {

struct WatchSpec {
  std::string name;
  std::string query;
  std::string tag;                   // "" for none (checked by the caller)
  std::vector<std::string> channels; // empty: every channel
};

struct WatchAdded {
  store::WatchRow watch;
  std::size_t backfilled = 0; // matches already in the history
  std::size_t tagged = 0;     // contacts newly tagged
};

// usage (exit 2) for an empty query, conflict (exit 6) for a taken name.
Result<WatchAdded> add_watch(store::Store& store, const WatchSpec& spec, UnixTime now, const std::string& agent);

struct WatchStatus {
  store::WatchRow watch;
  std::size_t matches = 0; // in the whole history
  std::size_t fresh = 0;   // since the last run (or the creation)
};

Result<std::vector<WatchStatus>> list_watches(store::Store& store);

struct WatchRun {
  store::WatchRow watch;
  std::vector<Match> matches; // new since the last run, oldest first
  std::size_t tagged = 0;
};

// One watch by name (not_found when there is none), or every watch when `name` is empty.
Result<std::vector<WatchRun>> run_watches(store::Store& store, const std::string& name, UnixTime now,
                                          const std::string& agent);

} // namespace svc::history
