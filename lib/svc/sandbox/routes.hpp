// Internal: each platform's routes, registered on the server's httplib::Server.
#pragma once

#include <svc/sandbox/state.hpp>

namespace svc::sandbox {

void add_weibo_routes(State& state);
void add_wechat_routes(State& state);
void add_telegram_routes(State& state);
void add_control_routes(State& state);  // /_sandbox/*, including /_sandbox/trigger (trigger.cpp)
void add_trigger_route(State& state);

// A Telegram Message object as getUpdates returns it (also pushed by /_sandbox/trigger).
nlohmann::json telegram_message_json(const World& world, int person, const TelegramMessage& m, bool with_reply = true);

} // namespace svc::sandbox
