#include <svc/inbox/pull.hpp>

#include <svc/store/contact_names.hpp>

#include <algorithm>
#include <set>

namespace svc::inbox {

namespace {

// Completes the profiles of the customers on the page the state file knows only by id (a first message
// on WeChat): one pass collects them, one batched lookup asks the platform (WeChat: 100 per request
// instead of one user/info each), one transaction stores what came back. A user the platform refuses
// (unsubscribed, bad openid) leaves that contact as it was: the messages are stored already and the
// next pull asks again; a refused token stops.
Status
complete_profiles(store::Store& store, channels::Channel& channel, const domain::Account& account,
                  const std::vector<domain::InboundMessage>& messages)
{
  std::set<std::string> asked;
  std::vector<std::string> authors;
  for (const auto& m : messages)
    if (m.direction == domain::Direction::in && !m.author.id.empty() && asked.insert(m.author.id).second)
      authors.push_back(m.author.id);
  // Only the name matters here: not a full contact read per author (store.contacts().find).
  SVC_TRY(nameless, store::contact_names(store)->nameless(account.id, authors));
  if (nameless.empty())
    return {};
  SVC_TRY(users, channel.lookup_users(nameless));
  if (users.empty())
    return {};
  // Not durable: a profile lost with an unsynced commit is nameless again, and the next pull asks again.
  return store.transaction(
    [&]() -> Status {
      for (const auto& user : users)
        SVC_CHECK(store.contacts().refresh(account, user, ""));
      return {};
    },
    false);
}

} // namespace

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
      store::IngestResult stored;
      auto ingest = [&]() -> Status {
        SVC_TRY(r, store.messages().ingest(account, stream.name, page.messages, page.cursor, store::Via::pull));
        stored = r;
        return {};
      };
      // A page the next fetch confirms to the platform is gone from it once we fetch again: its commit
      // is synced (ingest joins this durable transaction). Other pages commit unsynced (see ingest).
      if (stream.next_fetch_confirms)
        SVC_CHECK(store.transaction(ingest, true));
      else
        SVC_CHECK(ingest());
      if (!channel.capabilities().profiles_in_messages)
        SVC_CHECK(complete_profiles(store, channel, account, page.messages));
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
