// Internal: the test hooks behind /_sandbox/* and Server::inject/messages/sent.
#pragma once

#include <nlohmann/json.hpp>

#include <svc/core/result.hpp>
#include <svc/sandbox/state.hpp>

namespace svc::sandbox {

// Creates an inbound message (takes the state mutex) and wakes long polls.
Result<nlohmann::json> inject_message(State& state, const InjectRequest& request);
// Caller holds the state mutex. `platform` empty = all.
nlohmann::json inbound_json(const World& world, const std::string& platform);

} // namespace svc::sandbox
