// svc contact lookup: a user who may never have written to the account, fetched from the platform by
// id or by screen name, stored (created or refreshed, without any message) as a contact.
#pragma once

#include <string>

#include <svc/channels/channel.hpp>
#include <svc/store/store.hpp>

namespace svc::contacts {

struct LookupRequest {
  std::string key;     // the platform user id, or the screen name with by_name
  bool by_name = false;
  std::string by;      // the agent, for the audit log
};

// usage (exit 2) when the platform cannot look users up that way (WeChat and Telegram have no search
// by name); the platform's not_found (exit 3) when it has no such user. Returns the stored contact.
Result<store::ContactRow> lookup(store::Store& store, channels::Channel& channel, const domain::Account& account,
                                 const LookupRequest& request);

} // namespace svc::contacts
