#include "commands/replay.hpp"

#include <chrono>
#include <fstream>
#include <map>

#include <CLI/CLI.hpp>

#include <svc/callbacks/replay.hpp>
#include <svc/config/secrets.hpp>
#include <svc/http/curl_transport.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

// The secret a platform signs its pushes with, for one bound account.
Result<std::string>
signing_secret(const domain::Account& a, Context& ctx)
{
  const domain::SecretRef& ref = a.platform == domain::Platform::wechat  ? a.callback_token
                                 : a.platform == domain::Platform::weibo ? a.secret
                                                                         : a.webhook_secret;
  if (ref.empty())
    return std::string();
  return config::resolve_secret(ref, fmt::format("callback secret of account '{}'", a.name), ctx.getenv);
}

} // namespace

Status
run_replay(const ReplayOptions& opts, Context& ctx)
{
  std::ifstream in(opts.file);
  if (!in)
    return make_error(ErrorKind::usage, "cannot read {}", opts.file);
  // Every line is checked before anything is sent: a bad file sends nothing.
  std::vector<std::pair<int, callbacks::RecordedCallback>> records;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    auto parsed = callbacks::parse_record_line(line);
    if (!parsed)
      return make_error(ErrorKind::usage, "{}:{}: {}", opts.file, number, parsed.error().message)
        .with_hint("replay reads the files `svc listen --record` writes");
    records.emplace_back(number, std::move(parsed).value());
  }
  SVC_TRY(store, ctx.store());
  std::map<std::string, std::string> secrets; // account name -> signing secret
  for (const auto& [number, r] : records) {
    std::string name = opts.account.empty() ? r.account : opts.account;
    if (secrets.count(name))
      continue;
    SVC_TRY(account, store->accounts().get(name));
    if (domain::to_string(account.platform) != r.platform)
      return make_error(ErrorKind::usage, "{}:{}: a {} callback cannot be signed as {} account '{}'", opts.file,
                        number, r.platform, domain::to_string(account.platform), name);
    SVC_TRY(secret, signing_secret(account, ctx));
    secrets[name] = secret;
  }

  http::CurlTransport curl;
  std::mt19937_64 rng(std::random_device{}());
  auto sink = output::make_sink(ctx.format(), ctx.io,
                                {{"line", "LINE"}, {"account", "ACCOUNT"}, {"platform", "PLATFORM"},
                                 {"method", "METHOD"}, {"status", "STATUS"}, {"url", "URL"}});
  int failures = 0;
  for (const auto& [number, r] : records) {
    std::string name = opts.account.empty() ? r.account : opts.account;
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
    SVC_TRY(request, callbacks::resign(r, opts.to, secrets[name], now_ms, rng));
    auto sent = curl.send(request);
    nlohmann::json row = {{"line", number}, {"account", r.account}, {"platform", r.platform}, {"method", r.method},
                          {"url", request.url.substr(0, request.url.find('?'))}};
    if (!sent) {
      row["status"] = nullptr;
      row["error"] = sent.error().message;
      ++failures;
    } else {
      row["status"] = sent->status;
      failures += sent->status >= 200 && sent->status < 300 ? 0 : 1;
    }
    sink->row(row);
  }
  sink->end();
  if (failures > 0)
    return make_error(ErrorKind::failed, "{} of {} callbacks were not accepted", failures, records.size());
  ctx.io.status(fmt::format("✓ Replayed {} callbacks to {}", records.size(), opts.to));
  return {};
}

void
setup_replay(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ReplayOptions>();
  cmd.add_option("file", o->file, "A file written by `svc listen --record`")->required();
  cmd.add_option("--to", o->to, "Where to send them: a base URL (the recorded /hook/NAME path is kept) or a full URL")
    ->required();
  cmd.add_option("--account", o->account, "Sign with this bound account's secrets (default: the recorded account)");
  inv.bind(&cmd, [o](Context& ctx) { return run_replay(*o, ctx); });
}

} // namespace svc::commands
