// The sandbox's own endpoints under /_sandbox/ (never faulted): inject an inbound message, list
// every inbound message, every send and every fan (with their id on each platform).
#include <svc/sandbox/inject.hpp>
#include <svc/sandbox/routes.hpp>

#include <svc/core/time.hpp>
#include <svc/sandbox/http_util.hpp>
#include <svc/sandbox/weibo_json.hpp>

namespace svc::sandbox {

namespace {

nlohmann::json
inbound_entry(const Inbound& m)
{
  return {{"platform", m.platform},
          {"channel", m.channel},
          {"platform_message_id", m.platform_message_id},
          {"from", m.from},
          {"from_id", m.from_id},
          {"text", m.text},
          {"created_at", format_iso(m.created_at)}};
}

Error
bad_request(std::string message)
{
  Error e;
  e.kind = ErrorKind::usage;
  e.message = std::move(message);
  return e;
}

} // namespace

nlohmann::json
inbound_json(const World& world, const std::string& platform)
{
  auto list = nlohmann::json::array();
  for (const auto& m : world.inbound) {
    if (platform.empty() || m.platform == platform) {
      list.push_back(inbound_entry(m));
    }
  }
  return list;
}

namespace {

void
append_quoted(std::string& out, const std::string& s)
{
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20) {
        out += fmt::format("\\u{:04x}", c);
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
  }
  out.push_back('"');
}

// The same document as dump(inbound_json(…)), written directly: with 100,000 messages building a
// JSON tree first costs more than the request itself. Texts are valid UTF-8 (they come from JSON
// bodies or the generator), so they are copied as they are.
std::string
inbound_body(const World& world, const std::string& platform)
{
  std::string out = "[";
  out.reserve(world.inbound.size() * 200);
  bool first = true;
  for (const auto& m : world.inbound) {
    if (!platform.empty() && m.platform != platform) {
      continue;
    }
    out += first ? "{" : ",{";
    first = false;
    const std::pair<const char*, const std::string*> fields[] = {
      {"platform", &m.platform}, {"channel", &m.channel}, {"platform_message_id", &m.platform_message_id},
      {"from", &m.from},         {"from_id", &m.from_id}, {"text", &m.text}};
    for (const auto& [key, value] : fields) {
      out += fmt::format("\"{}\":", key);
      append_quoted(out, *value);
      out.push_back(',');
    }
    out += "\"created_at\":\"" + format_iso(m.created_at) + "\"}";
  }
  out += "]";
  return out;
}

} // namespace

Result<nlohmann::json>
inject_message(State& state, const InjectRequest& r)
{
  bool known = (r.platform == "weibo" && (r.channel == "comment" || r.channel == "mention" || r.channel == "dm")) ||
               ((r.platform == "wechat" || r.platform == "telegram") && r.channel == "dm");
  if (!known) {
    return bad_request(fmt::format("cannot inject platform '{}' channel '{}': weibo takes comment, mention or "
                                   "dm; wechat and telegram take dm",
                                   r.platform, r.channel))
      .with_hint("e.g. {\"platform\":\"weibo\",\"channel\":\"comment\",\"from\":\"小雨点\",\"text\":\"你好\"}");
  }
  if (r.text.empty()) {
    return bad_request("cannot inject an empty text");
  }
  if (r.from.empty() && r.from_id.empty()) {
    return bad_request("inject needs 'from' (a display name) or 'from_id'");
  }
  std::lock_guard lock(state.mutex);
  World& world = state.world;
  UnixTime now = state.now();
  int person = world.person_for(r.platform, r.from, r.from_id);
  nlohmann::json object;
  if (r.platform == "weibo" && r.channel == "comment") {
    std::size_t status = world.latest_owner_post(now);
    object = weibo_comment(world, world.add_weibo_comment(person, status, std::nullopt, r.text, now));
  } else if (r.platform == "weibo" && r.channel == "mention") {
    object = weibo_status(world, world.add_weibo_status_mention(person, r.text, now));
  } else if (r.platform == "weibo") {
    const auto& dm = world.weibo_dms[world.add_weibo_dm(person, r.text, now)];
    // The fans-service push this message would arrive as (§1.10).
    object = {{"type", "text"},
              {"receiver_id", world.accounts.weibo_uid},
              {"sender_id", world.people[static_cast<std::size_t>(person)].weibo_uid},
              {"created_at", weibo_date(dm.created_at)},
              {"text", dm.text},
              {"data", nlohmann::json::object()}};
  } else if (r.platform == "wechat") {
    const auto& rec = world.records[world.add_wechat_inbound(person, r.text, now)];
    object = {{"openid", world.people[static_cast<std::size_t>(person)].openid},
              {"opercode", rec.opercode},
              {"text", rec.text},
              {"time", rec.time},
              {"worker", world.accounts.wechat_worker}};
  } else {
    const auto& u = world.updates[world.add_telegram_inbound(person, r.text, now)];
    const auto& m = world.chats[static_cast<std::size_t>(person)][u.message];
    object = {{"update_id", u.update_id}, {"message_id", m.message_id}, {"date", m.date}};
  }
  nlohmann::json result = inbound_entry(world.inbound.back());
  result["object"] = std::move(object);
  state.changed.notify_all();
  return result;
}

void
add_control_routes(State& state)
{
  auto& http = state.http;
  http.Post("/_sandbox/inject", [&state](const httplib::Request& req, httplib::Response& res) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object()) {
      send_json(res, {{"error", "expected a JSON object {platform, channel, from, text, [from_id]}"}}, 400);
      return;
    }
    auto str = [&body](const char* key) {
      auto it = body.find(key);
      if (it == body.end() || it->is_null()) {
        return std::string();
      }
      return it->is_string() ? it->get<std::string>() : it->dump();
    };
    auto injected = inject_message(state, {str("platform"), str("channel"), str("from"), str("text"), str("from_id")});
    if (!injected) {
      send_json(res, {{"error", injected.error().message}}, 400);
      return;
    }
    send_json(res, *injected);
  });
  http.Get("/_sandbox/messages", [&state](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(state.mutex);
    res.set_content(inbound_body(state.world, req.get_param_value("platform")), "application/json; charset=utf-8");
  });
  http.Get("/_sandbox/people", [&state](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(state.mutex);
    auto people = nlohmann::json::array();
    for (const auto& p : state.world.people) {
      people.push_back({{"name", p.name},
                        {"weibo_uid", std::to_string(p.weibo_uid)},
                        {"openid", p.openid},
                        {"telegram_id", std::to_string(p.telegram_id)}});
    }
    send_json(res, people);
  });
  http.Get("/_sandbox/sent", [&state](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(state.mutex);
    send_json(res, nlohmann::json(state.sent));
  });
}

} // namespace svc::sandbox
