// Deferred indexing of message text (schema v8): storing a message does not index it; whoever reads
// the message index (lib/svc/store/search_index.hpp: svc search, svc watch) first brings it up to date
// here, in one bulk insert. A pull pays nothing for search, and the index costs its bulk price once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <svc/core/result.hpp>

namespace svc::store {

class Store;

class SearchBacklog
{
public:
  virtual ~SearchBacklog() = default;
  // How many stored messages the index does not cover yet.
  virtual Result<std::int64_t> pending() = 0;
  // Indexes them and moves the high-water mark to the newest message, in one transaction (BEGIN
  // IMMEDIATE, so two processes never index the same rows twice; the second finds nothing left).
  // An index already current costs one read and takes no write lock. Returns how many messages with
  // text it indexed.
  virtual Result<std::int64_t> catch_up() = 0;
  // catch_up() for a reader that can do without the write: when the state file was opened read-only
  // (mode 0400 for a user other than root, a read-only filesystem, SQLITE_OPEN_READONLY), indexes
  // nothing and returns the high-water mark, above which the reader scans the messages itself; nullopt
  // when the index covers every message (caught up here, or already). Other errors (busy past the
  // timeout, a corrupt file, a failed write on a writable file) are returned as from catch_up().
  virtual Result<std::optional<std::int64_t>> catch_up_or_mark() = 0;
};

// The backlog of a state file opened by open_store (the SQLite store).
std::unique_ptr<SearchBacklog> search_backlog(Store& store);

} // namespace svc::store
