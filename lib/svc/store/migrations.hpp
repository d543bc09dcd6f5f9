// The ordered, append-only list of schema migrations. Migration i (0-based) brings the file from
// `PRAGMA user_version` i to i+1 and runs in its own transaction together with that pragma. A shipped
// migration is never edited: later work appends.
#pragma once

#include <span>
#include <string_view>

namespace svc::store {

// 'SVC1': lets file(1) and svc itself recognise an svc state file (SQLite's magic.txt convention).
inline constexpr int k_application_id = 0x53564331;

std::span<const std::string_view> migrations();

} // namespace svc::store
