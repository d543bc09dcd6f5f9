// Pulling: each stream of an account, page by page; a page and the cursor that covers it commit in one
// transaction, so an interrupted pull resumes where it stopped and nothing is stored twice.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <svc/channels/channel.hpp>
#include <svc/store/store.hpp>

namespace svc::inbox {

struct PullOptions {
  std::vector<domain::ChannelKind> channels; // empty: every stream
  int page_size = 100;
  std::function<bool()> cancelled;            // checked between pages (Ctrl-C finishes the current page)
  std::function<void(const std::string& stream, int stored_so_far)> progress;
};

struct StreamResult {
  std::string stream;
  domain::ChannelKind channel = domain::ChannelKind::dm;
  int received = 0;
  int stored = 0;
  std::string cursor;
};

Result<std::vector<StreamResult>> pull_account(store::Store& store, channels::Channel& channel,
                                               const domain::Account& account, const PullOptions& options);

} // namespace svc::inbox
