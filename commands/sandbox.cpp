#include "commands/sandbox.hpp"

#include <csignal>
#include <fstream>
#include <thread>

#include <CLI/CLI.hpp>

#include "commands/stop_signal.hpp"
#include <svc/http/curl_transport.hpp>
#include <svc/output/sink.hpp>
#include <svc/sandbox/server.hpp>

namespace svc::commands {

namespace {

struct ServeOptions {
  int port = 0;
  std::string port_file;
  std::uint64_t seed = 1;
  std::string rate = "0";
  std::string faults;
  int world_size = 300;
};

Result<double>
parse_rate(const std::string& text)
{
  // "N" or "N/s"
  std::string number = text.size() > 2 && text.ends_with("/s") ? text.substr(0, text.size() - 2) : text;
  try {
    std::size_t used = 0;
    double v = std::stod(number, &used);
    if (used == number.size() && v >= 0)
      return v;
  } catch (const std::exception&) {
  }
  return make_error(ErrorKind::usage, "invalid rate '{}'", text).with_hint("e.g. --rate 5/s");
}

Status
run_serve(const ServeOptions& opts, Context& ctx)
{
  sandbox::Options options;
  options.port = opts.port;
  options.seed = opts.seed;
  options.world_size = opts.world_size;
  SVC_TRY(rate, parse_rate(opts.rate));
  options.rate_per_s = rate;
  if (!opts.faults.empty()) {
    SVC_TRY(faults, sandbox::parse_faults(opts.faults));
    options.faults = faults;
  }
  sandbox::Server server(options);
  SVC_TRY(port, server.start());
  if (!opts.port_file.empty()) {
    // Written after the server listens, via a rename, so a script polling for it never reads half.
    std::string tmp = opts.port_file + ".tmp";
    std::ofstream(tmp) << port << '\n';
    std::rename(tmp.c_str(), opts.port_file.c_str());
  }
  ctx.io.out << output::dump_json(server.credentials(), false) << std::endl;
  ctx.io.status(fmt::format("sandbox listening on {} (Ctrl-C stops it)", server.url()));
  StopSignal stop;
  stop.wait();
  server.stop();
  return {};
}

// POSTs a JSON body to the sandbox's control endpoint; the sandbox's error text on a refusal.
Result<nlohmann::json>
call_sandbox(const std::string& url, const std::string& path, const nlohmann::json& body)
{
  http::CurlTransport curl;
  http::Request req;
  req.method = http::Method::post;
  std::string base = url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  req.url = base + path;
  req.headers = {{"Content-Type", "application/json"}};
  req.body = body.dump();
  SVC_TRY(resp, curl.send(req));
  auto json = nlohmann::json::parse(resp.body, nullptr, false);
  if (json.is_discarded())
    return make_error(ErrorKind::failed, "{} is not an svc sandbox (HTTP {} to {})", url, resp.status, path);
  if (resp.status == 400)
    return Error{ErrorKind::usage, json.value("error", resp.body), json.value("hint", std::string()), 400, false, {}};
  if (resp.status != 200 && !json.contains("error"))
    return make_error(ErrorKind::failed, "the sandbox answered HTTP {}", resp.status);
  return json;
}

struct InjectOptions {
  std::string url;
  std::string platform, channel, from, text, from_id;
};

Status
run_inject(const InjectOptions& opts, Context& ctx)
{
  nlohmann::json body = {{"platform", opts.platform}, {"channel", opts.channel}, {"from", opts.from},
                         {"text", opts.text}};
  if (!opts.from_id.empty())
    body["from_id"] = opts.from_id;
  SVC_TRY(json, call_sandbox(opts.url, "/_sandbox/inject", body));
  json.erase("object");
  output::print_object(ctx.format(), ctx.io, json,
                       {{"platform", "PLATFORM"}, {"channel", "CHANNEL"}, {"platform_message_id", "ID"},
                        {"from", "FROM"}, {"text", "TEXT"}});
  return {};
}

struct TriggerOptions {
  std::string url, platform, event, to;
  std::vector<std::string> set;
};

Status
run_trigger(const TriggerOptions& opts, Context& ctx)
{
  nlohmann::json set = nlohmann::json::object();
  for (const auto& kv : opts.set) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return make_error(ErrorKind::usage, "--set takes KEY=VALUE, not '{}'", kv).with_hint("keys: from, from_id, text, event_key");
    set[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  SVC_TRY(answer, call_sandbox(opts.url, "/_sandbox/trigger",
                               {{"platform", opts.platform}, {"event", opts.event}, {"to", opts.to}, {"set", set}}));
  if (answer.contains("error"))
    return make_error(ErrorKind::temporary, "{}", answer["error"].get<std::string>())
      .with_hint("is `svc listen` running at that URL?");
  answer.erase("payload");
  output::print_object(ctx.format(), ctx.io, answer,
                       {{"platform", "PLATFORM"}, {"event", "EVENT"}, {"to", "TO"}, {"status", "STATUS"},
                        {"body", "ANSWER"}, {"platform_message_id", "ID"}});
  int status = answer.value("status", 0);
  if (status != 200)
    return make_error(ErrorKind::failed, "the listener answered HTTP {}", status);
  return {};
}

} // namespace

void
setup_sandbox_trigger(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<TriggerOptions>();
  cmd.add_option("--url", o->url, "The sandbox's URL")->required();
  cmd.add_option("--platform", o->platform, "weibo, wechat or telegram")->required()
    ->check(CLI::IsMember({"weibo", "wechat", "telegram"}));
  cmd.add_option("event", o->event, "wechat: text, image, subscribe, unsubscribe, click; weibo: text; telegram: message")
    ->required();
  cmd.add_option("--to", o->to, "The listener, e.g. http://127.0.0.1:8080/hook/shop")->required();
  cmd.add_option("--set", o->set, "KEY=VALUE: from, from_id, text, event_key (repeatable)");
  inv.bind(&cmd, [o](Context& ctx) { return run_trigger(*o, ctx); });
}

void
setup_sandbox_serve(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ServeOptions>();
  cmd.add_option("--port", o->port, "Port on 127.0.0.1 (0 picks a free one)")->check(CLI::Range(0, 65535));
  cmd.add_option("--port-file", o->port_file, "Write the port here once listening");
  cmd.add_option("--seed", o->seed, "Fixes the world, the credentials and the faults");
  cmd.add_option("--rate", o->rate, "New inbound messages per second (e.g. 5/s; default 0)");
  cmd.add_option("--faults", o->faults,
                 "e.g. rate_limit=0.05,server_error=0.02,latency=20ms,truncate=0.01,reset_after_send=0.1,expire_token_after=500");
  cmd.add_option("--world-size", o->world_size, "Inbound messages in the initial world")->check(CLI::Range(0, 10000000));
  inv.bind(&cmd, [o](Context& ctx) { return run_serve(*o, ctx); });
}

void
setup_sandbox_inject(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<InjectOptions>();
  cmd.add_option("--url", o->url, "The sandbox's URL")->required();
  cmd.add_option("--platform", o->platform, "weibo, wechat or telegram")->required()
    ->check(CLI::IsMember({"weibo", "wechat", "telegram"}));
  cmd.add_option("--channel", o->channel, "dm, comment or mention")->required()
    ->check(CLI::IsMember({"dm", "comment", "mention"}));
  cmd.add_option("--from", o->from, "The sender's display name")->required();
  cmd.add_option("--text", o->text, "The message")->required();
  cmd.add_option("--from-id", o->from_id, "The sender's platform user id");
  inv.bind(&cmd, [o](Context& ctx) { return run_inject(*o, ctx); });
}

} // namespace svc::commands
