// Telegram Bot API subset (platform-apis.md §3): /bot<TOKEN>/<method> with getMe, getUpdates (offset
// confirmation, limit, long poll capped by Options::long_poll_cap_s), sendMessage (reply_parameters
// or the legacy reply_to_message_id), and the webhook calls a poller makes. Parameters come from the
// query, a form body or a JSON body; method names are case-insensitive.
#include <svc/sandbox/routes.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>

#include <svc/sandbox/http_util.hpp>

namespace svc::sandbox {

namespace {

constexpr std::size_t k_max_text = 4096;

nlohmann::json
arguments(const httplib::Request& req)
{
  nlohmann::json args = nlohmann::json::object();
  for (const auto& [key, value] : req.params) {
    args[key] = value;
  }
  if (!req.body.empty() && req.get_header_value("Content-Type").find("application/json") == 0) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_object()) {
      for (auto& [key, value] : body.items()) {
        args[key] = value;
      }
    }
  }
  return args;
}

nlohmann::json
user_json(const Person& p)
{
  nlohmann::json u = {{"id", p.telegram_id}, {"is_bot", false}, {"first_name", p.tg_first}};
  if (!p.tg_last.empty()) {
    u["last_name"] = p.tg_last;
  }
  if (!p.tg_username.empty()) {
    u["username"] = p.tg_username;
  }
  u["language_code"] = p.lang;
  return u;
}

nlohmann::json
chat_json(const Person& p)
{
  nlohmann::json c = {{"id", p.telegram_id}, {"first_name", p.tg_first}};
  if (!p.tg_last.empty()) {
    c["last_name"] = p.tg_last;
  }
  if (!p.tg_username.empty()) {
    c["username"] = p.tg_username;
  }
  c["type"] = "private";
  return c;
}

nlohmann::json
bot_json(const Accounts& a)
{
  return {{"id", a.telegram_bot_id},
          {"is_bot", true},
          {"first_name", a.telegram_name},
          {"username", a.telegram_username}};
}

void
get_me(State& state, Call& call)
{
  nlohmann::json me = bot_json(state.world.accounts);
  me["can_join_groups"] = true;
  me["can_read_all_group_messages"] = false;
  me["supports_inline_queries"] = false;
  me["can_connect_to_business"] = false;
  me["has_main_web_app"] = false;
  send_json(call.res, {{"ok", true}, {"result", me}});
}

void
get_updates(State& state, Call& call, const nlohmann::json& args)
{
  auto offset = json_int(args, "offset").value_or(0);
  auto limit = std::clamp<std::int64_t>(json_int(args, "limit").value_or(100), 1, 100);
  auto timeout = std::clamp<std::int64_t>(json_int(args, "timeout").value_or(0), 0, state.options.long_poll_cap_s);
  std::unique_lock lock(state.mutex);
  World& world = state.world;
  auto index_of = [&world](std::int64_t update_id) {
    return static_cast<std::size_t>(
      std::lower_bound(world.updates.begin(), world.updates.end(), update_id,
                       [](const TelegramUpdate& u, std::int64_t id) { return u.update_id < id; }) -
      world.updates.begin());
  };
  if (offset > 0) {
    world.confirmed_offset = std::max(world.confirmed_offset, offset);
  } else if (offset < 0) {
    // From the end: all but the last -offset updates are forgotten.
    std::size_t first = index_of(world.confirmed_offset);
    std::size_t back = static_cast<std::size_t>(-offset);
    std::size_t from = std::max(first, world.updates.size() > back ? world.updates.size() - back : 0);
    if (from < world.updates.size()) {
      world.confirmed_offset = world.updates[from].update_id;
    }
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  while (index_of(world.confirmed_offset) == world.updates.size() && !state.stopping &&
         state.changed.wait_until(lock, deadline) != std::cv_status::timeout) {
  }
  auto result = nlohmann::json::array();
  for (std::size_t k = index_of(world.confirmed_offset);
       k < world.updates.size() && result.size() < static_cast<std::size_t>(limit); ++k) {
    const auto& u = world.updates[k];
    result.push_back({{"update_id", u.update_id},
                      {"message", telegram_message_json(world, u.person, world.chats[static_cast<std::size_t>(u.person)][u.message])}});
  }
  send_json(call.res, {{"ok", true}, {"result", std::move(result)}});
}

void
send_message(State& state, Call& call, const nlohmann::json& args)
{
  if (!args.contains("chat_id")) {
    telegram_error(call.res, 400, "Bad Request: chat_id is empty");
    return;
  }
  std::string text = args.contains("text") && args["text"].is_string() ? args["text"].get<std::string>() : "";
  if (text.empty()) {
    telegram_error(call.res, 400, "Bad Request: message text is empty");
    return;
  }
  if (utf8_length(text) > k_max_text) {
    telegram_error(call.res, 400, "Bad Request: message is too long");
    return;
  }
  std::optional<std::int64_t> reply_to = json_int(args, "reply_to_message_id");
  bool allow_without_reply = false;
  if (args.contains("reply_parameters")) {
    nlohmann::json rp = args["reply_parameters"];
    if (rp.is_string()) {
      rp = nlohmann::json::parse(rp.get<std::string>(), nullptr, false);
    }
    if (!rp.is_object() || !json_int(rp, "message_id")) {
      telegram_error(call.res, 400, "Bad Request: can't parse reply parameters JSON object");
      return;
    }
    reply_to = json_int(rp, "message_id");
    allow_without_reply = rp.value("allow_sending_without_reply", false);
  }
  auto chat_id = json_int(args, "chat_id");
  std::lock_guard lock(state.mutex);
  World& world = state.world;
  auto person = chat_id ? world.person_by_telegram.find(*chat_id) : world.person_by_telegram.end();
  if (person == world.person_by_telegram.end()) {
    telegram_error(call.res, 400, "Bad Request: chat not found");
    return;
  }
  // A bot cannot start a conversation: the user must have written to it first.
  const auto& chat = world.chats[static_cast<std::size_t>(person->second)];
  if (std::none_of(chat.begin(), chat.end(), [](const TelegramMessage& m) { return !m.from_bot; })) {
    telegram_error(call.res, 403, "Forbidden: bot can't initiate conversation with a user");
    return;
  }
  if (reply_to && !world.telegram_message(person->second, *reply_to)) {
    if (!allow_without_reply) {
      telegram_error(call.res, 400, "Bad Request: message to be replied not found");
      return;
    }
    reply_to.reset();
  }
  std::size_t idx = world.add_telegram_outbound(person->second, text, reply_to, state.now());
  const auto& message = world.chats[static_cast<std::size_t>(person->second)][idx];
  send_json(call.res, {{"ok", true}, {"result", telegram_message_json(world, person->second, message)}});
  nlohmann::json entry = {{"platform", "telegram"},
                          {"endpoint", "sendMessage"},
                          {"to", std::to_string(*chat_id)},
                          {"text", text},
                          {"fields", args},
                          {"platform_message_id", std::to_string(*chat_id) + ":" + std::to_string(message.message_id)}};
  if (reply_to) {
    entry["reply_to"] = std::to_string(*chat_id) + ":" + std::to_string(*reply_to);
  }
  call.sent_index = record_sent(state, std::move(entry));
}

void
dispatch(State& state, Call& call)
{
  if (call.req.matches.size() < 3 || call.req.matches[1].str() != state.world.accounts.telegram_token) {
    telegram_error(call.res, 401, "Unauthorized");
    return;
  }
  std::string method = call.req.matches[2].str();
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  nlohmann::json args = arguments(call.req);
  if (method == "getme") {
    get_me(state, call);
  } else if (method == "getupdates") {
    get_updates(state, call, args);
  } else if (method == "sendmessage") {
    send_message(state, call, args);
  } else if (method == "deletewebhook") {
    send_json(call.res, {{"ok", true}, {"result", true}, {"description", "Webhook is already deleted"}});
  } else if (method == "getwebhookinfo") {
    std::lock_guard lock(state.mutex);
    send_json(call.res, {{"ok", true},
                         {"result", {{"url", ""}, {"has_custom_certificate", false}, {"pending_update_count", 0}}}});
  } else {
    telegram_error(call.res, 404, "Not Found");
  }
}

} // namespace

nlohmann::json
telegram_message_json(const World& world, int person, const TelegramMessage& m, bool with_reply)
{
  const auto& p = world.people[static_cast<std::size_t>(person)];
  nlohmann::json j = {{"message_id", m.message_id},
                      {"from", m.from_bot ? bot_json(world.accounts) : user_json(p)},
                      {"chat", chat_json(p)},
                      {"date", m.date}};
  if (m.reply_to && with_reply) {
    if (const auto* target = world.telegram_message(person, *m.reply_to)) {
      j["reply_to_message"] = telegram_message_json(world, person, *target, false);
    }
  }
  j["text"] = m.text;
  return j;
}

void
add_telegram_routes(State& state)
{
  auto handler = endpoint(state, Platform::telegram, [&state](Call& c) { dispatch(state, c); });
  state.http.Get(R"(/bot([^/]+)/([A-Za-z]+))", handler);
  state.http.Post(R"(/bot([^/]+)/([A-Za-z]+))", handler);
}

} // namespace svc::sandbox
