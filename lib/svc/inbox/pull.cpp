#include <svc/inbox/pull.hpp>

#include <algorithm>

namespace svc::inbox {

Result<std::vector<StreamResult>>
pull_account(store::Store& store, channels::Channel& channel, const domain::Account& account,
             const PullOptions& options)
{
  std::vector<StreamResult> results;
  for (const auto& stream : channel.streams()) {
    if (!options.channels.empty()
        && std::find(options.channels.begin(), options.channels.end(), stream.channel) == options.channels.end())
      continue;
    StreamResult r;
    r.stream = stream.name;
    r.channel = stream.channel;
    SVC_TRY(cursor, store.messages().cursor(account.id, stream.name));
    for (;;) {
      if (options.cancelled && options.cancelled())
        break;
      SVC_TRY(page, channel.fetch(stream, cursor, options.page_size));
      SVC_TRY(stored, store.messages().ingest(account, stream.name, page.messages, page.cursor, store::Via::pull));
      r.received += stored.received;
      r.stored += stored.stored;
      cursor = page.cursor;
      if (options.progress)
        options.progress(stream.name, r.stored);
      if (page.done)
        break;
    }
    r.cursor = cursor;
    results.push_back(std::move(r));
  }
  return results;
}

} // namespace svc::inbox
