#include "commands/listen.hpp"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands/stop_signal.hpp"
#include <svc/callbacks/listener.hpp>
#include <svc/config/secrets.hpp>
#include <svc/core/time.hpp>

namespace svc::commands {

namespace {

struct ListenCommandOptions {
  int port = 0;
  std::string port_file;
  std::string bind = "127.0.0.1";
  bool print = false;
  std::string forward_to;
  std::string record;
};

// The secret each platform signs pushes with, and how to bind it.
struct SecretNeed {
  const domain::SecretRef* ref;
  const char* what;
  const char* flag;
};

SecretNeed
secret_need(const domain::Account& a)
{
  switch (a.platform) {
  case domain::Platform::wechat:
    return {&a.callback_token, "callback token", "--callback-token-env"};
  case domain::Platform::weibo:
    return {&a.secret, "app secret", "--secret-env"};
  case domain::Platform::telegram:
    return {&a.webhook_secret, "webhook secret", "--webhook-secret-env"};
  }
  return {&a.secret, "secret", "--secret-env"};
}

// Resolved once at start: a hook without its secret is still served, but refuses everything.
callbacks::Hook
make_hook(const domain::Account& account, Context& ctx)
{
  callbacks::Hook hook{account, std::nullopt};
  auto need = secret_need(account);
  std::string problem;
  if (need.ref->empty()) {
    problem = fmt::format("no {} bound; bind with {}", need.what, need.flag);
  } else {
    auto value = config::resolve_secret(*need.ref, fmt::format("{} of account '{}'", need.what, account.name),
                                        ctx.getenv);
    if (value && !value->empty()) {
      hook.secret = *value;
    } else {
      problem = value ? fmt::format("the {} is empty", need.what) : value.error().message;
    }
  }
  if (!hook.secret) {
    ctx.io.warn(fmt::format("hook for {} refuses everything: {}", account.name, problem));
  }
  return hook;
}

bool
loopback(const std::string& address)
{
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

// "12:03:04 wx POST /hook/wx 200 text stored 1/1 "hello"" — one line per callback as it arrives.
void
print_report(const callbacks::CallbackReport& r, bool print_body, io::Streams& io)
{
  std::string time = format_iso(r.received_at);
  std::string clock_time = time.size() >= 19 ? time.substr(11, 8) : time;
  std::string line = fmt::format("{} {} {} {} {} {}", clock_time, r.account.empty() ? "-" : r.account, r.method,
                                 r.path, r.status, r.note);
  if (r.received > 0) {
    line += fmt::format(" stored {}/{}", r.stored, r.received);
    if (r.stored < r.received) {
      line += " (duplicate)";
    }
  }
  for (const auto& t : r.texts) {
    std::string shown = t.size() > 60 ? t.substr(0, 60) + "…" : t;
    line += fmt::format(" \"{}\"", shown);
  }
  if (r.forward_status) {
    line += fmt::format(" forwarded {}", *r.forward_status);
  } else if (!r.forward_error.empty()) {
    line += fmt::format(" forward failed: {}", r.forward_error);
  }
  io.err << line << '\n';
  if (print_body && !r.body.empty()) {
    io.err << r.body << '\n';
  }
  io.err << std::flush;
}

Status
run_listen(const ListenCommandOptions& opts, Context& ctx)
{
  SVC_TRY(accounts, ctx.resolve_accounts({}, true));
  SVC_TRY(store, ctx.store());
  std::vector<callbacks::Hook> hooks;
  for (const auto& account : accounts) {
    hooks.push_back(make_hook(account, ctx));
  }
  if (!loopback(opts.bind)) {
    ctx.io.warn(fmt::format("listening on {}, not loopback: anyone who can reach it can call the hooks "
                            "(signatures and secrets are still checked)",
                            opts.bind));
  }
  if (!opts.forward_to.empty() && opts.forward_to.rfind("http://", 0) != 0 &&
      opts.forward_to.rfind("https://", 0) != 0) {
    return make_error(ErrorKind::usage, "--forward-to needs an http:// or https:// URL, not '{}'", opts.forward_to);
  }
  callbacks::ListenOptions options;
  options.bind = opts.bind;
  options.port = opts.port;
  options.forward_to = opts.forward_to;
  options.record_path = opts.record;
  bool quiet = ctx.options.quiet || ctx.io.quiet;
  bool print_body = opts.print;
  io::Streams& io = ctx.io;
  callbacks::Listener listener(*store, ctx.clock, hooks, options, [&io, quiet, print_body](const auto& r) {
    if (!quiet) {
      print_report(r, print_body, io);
    }
  });
  SVC_TRY(port, listener.start());
  if (!opts.port_file.empty()) {
    // Written after the server listens, via a rename, so a script polling for it never reads half.
    std::string tmp = opts.port_file + ".tmp";
    std::ofstream(tmp) << port << '\n';
    std::rename(tmp.c_str(), opts.port_file.c_str());
  }
  std::string host = opts.bind.find(':') != std::string::npos ? "[" + opts.bind + "]" : opts.bind;
  ctx.io.status(fmt::format("listening on http://{}:{} (Ctrl-C stops it)", host, port));
  for (const auto& hook : hooks) {
    ctx.io.status(fmt::format("  {} ({}): http://{}:{}/hook/{}", hook.account.name,
                              domain::to_string(hook.account.platform), host, port, hook.account.name));
  }
  StopSignal stop;
  stop.wait();
  listener.stop();
  return {};
}

} // namespace

void
setup_listen(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ListenCommandOptions>();
  cmd.add_option("--port", o->port, "Port to listen on (0 picks a free one)")->check(CLI::Range(0, 65535));
  cmd.add_option("--port-file", o->port_file, "Write the port here once listening");
  cmd.add_option("--bind", o->bind, "Address to listen on (default 127.0.0.1)");
  cmd.add_flag("--print", o->print, "Print each callback's full body on stderr");
  cmd.add_option("--forward-to", o->forward_to,
                 "After storing, pass each accepted callback on to this URL (query string appended)");
  cmd.add_option("--record", o->record, "Append every callback received to this JSONL file");
  inv.bind(&cmd, [o](Context& ctx) { return run_listen(*o, ctx); });
}

} // namespace svc::commands
