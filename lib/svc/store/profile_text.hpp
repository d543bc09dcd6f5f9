// The contact profile a pulled message's author brings, as the JSON text the contacts table stores:
// the same bytes as contact_profile(user, seen_at).dump() (contacts.hpp), built without an
// intermediate nlohmann object. Pull computes it once per author and page, so it is on the ingest path.
#pragma once

#include <string>

#include <svc/core/clock.hpp>
#include <svc/domain/model.hpp>

namespace svc::store {

std::string contact_profile_text(const domain::PlatformUser& user, UnixTime seen_at);

} // namespace svc::store
