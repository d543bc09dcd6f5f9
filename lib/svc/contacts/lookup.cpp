#include <svc/contacts/lookup.hpp>

namespace svc::contacts {

Result<store::ContactRow>
lookup(store::Store& store, channels::Channel& channel, const domain::Account& account, const LookupRequest& request)
{
  if (request.key.empty())
    return make_error(ErrorKind::usage, "whom to look up? the {} is empty", request.by_name ? "name" : "id");
  if (request.by_name && !channel.capabilities().can_lookup_by_name)
    return make_error(ErrorKind::usage, "{} cannot look users up by name", domain::to_string(account.platform))
      .with_hint(account.platform == domain::Platform::wechat ? "give the openid: --id OPENID" : "give the user id: --id ID");
  SVC_TRY(user, channel.lookup_user(request.key, request.by_name));
  SVC_TRY(id, store.contacts().refresh(account, user, request.by));
  return store.contacts().get(id);
}

} // namespace svc::contacts
