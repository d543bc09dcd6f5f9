// The factories behind make_policy, one per file (round_robin.cpp, least_busy.cpp, ...), and the
// backlog orders the policies share.
#pragma once

#include <memory>

#include <svc/routing/policy.hpp>

namespace svc::routing {

std::unique_ptr<Policy> make_round_robin();
std::unique_ptr<Policy> make_least_busy();
std::unique_ptr<Policy> make_idle_rate();
std::unique_ptr<Policy> make_sticky();
std::unique_ptr<Policy> make_skills();
std::unique_ptr<Policy> make_priority();

// Oldest waiting first: waiting_since ascending, then id.
bool oldest_first(const Conversation& a, const Conversation& b);

} // namespace svc::routing
