#include <svc/inbox/pull.hpp>

#include <algorithm>
#include <set>

namespace svc::inbox {

namespace {

// Looks up the profile of each customer on the page the state file knows only by id (a first message
// on WeChat). A lookup the platform refuses for one user (unsubscribed, bad openid) leaves that contact
// as it was: the messages are stored already and the next pull tries again; a refused token stops.
Status
complete_profiles(store::Store& store, channels::Channel& channel, const domain::Account& account,
                  const std::vector<domain::InboundMessage>& messages)
{
  std::set<std::string> asked;
  for (const auto& m : messages) {
    if (m.direction != domain::Direction::in || m.author.id.empty() || !asked.insert(m.author.id).second)
      continue;
    SVC_TRY(contact, store.contacts().find(account.name, m.author.id));
    if (!contact.name.empty())
      continue;
    auto user = channel.lookup_user(m.author.id, false);
    if (!user) {
      if (user.error().kind == ErrorKind::auth)
        return user.error();
      continue;
    }
    SVC_CHECK(store.contacts().refresh(account, *user, ""));
  }
  return {};
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
      SVC_TRY(stored, store.messages().ingest(account, stream.name, page.messages, page.cursor, store::Via::pull));
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
