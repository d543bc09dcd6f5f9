// The stable JSON of contacts (snake_case, ISO 8601 UTC times, ids as integers, null for unknown).
#pragma once

#include <nlohmann/json.hpp>

#include <svc/store/store.hpp>

namespace svc::contacts {

// id, account, platform, platform_user_id, name, username, person_id, tags, attributes, first_seen_at,
// last_seen_at, last_inbound_at; with `profile`, also avatar_url, gender, location, followers,
// description, language and profile ({field: {value, seen_at}}).
nlohmann::json contact_json(const store::ContactRow& c, bool profile);
// {id, account, platform, platform_user_id, name}
nlohmann::json identity_json(const store::ContactRow& c);
nlohmann::json note_json(const store::ContactNote& n);
nlohmann::json timeline_json(const store::TimelineEntry& e);

} // namespace svc::contacts
