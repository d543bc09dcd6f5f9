// Internal: each platform's routes, registered on the server's httplib::Server.
#pragma once

#include <svc/sandbox/state.hpp>

namespace svc::sandbox {

void add_weibo_routes(State& state);
void add_wechat_routes(State& state);
void add_telegram_routes(State& state);
void add_control_routes(State& state);  // /_sandbox/*

} // namespace svc::sandbox
