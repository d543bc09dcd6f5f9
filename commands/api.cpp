#include "commands/api.hpp"

#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include <svc/output/sink.hpp>

namespace svc::commands {

Status
run_api(const ApiOptions& opts, Context& ctx)
{
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& f : opts.fields) {
    auto eq = f.find('=');
    if (eq == std::string::npos || eq == 0)
      return make_error(ErrorKind::usage, "-f takes KEY=VALUE, not '{}'", f);
    fields.emplace_back(f.substr(0, eq), f.substr(eq + 1));
  }
  std::string body;
  if (!opts.input.empty()) {
    std::stringstream ss;
    if (opts.input == "-") {
      ss << ctx.io.in.rdbuf();
    } else {
      std::ifstream in(opts.input, std::ios::binary);
      if (!in)
        return make_error(ErrorKind::usage, "cannot read {}", opts.input);
      ss << in.rdbuf();
    }
    body = ss.str();
  }
  SVC_TRY(store, ctx.store());
  SVC_TRY(account, store->accounts().get(opts.account));
  SVC_TRY(conn, ctx.connect(account));
  SVC_TRY(reply, conn->channel().raw_call(opts.method, opts.path, fields, body));
  auto json = nlohmann::json::parse(reply, nullptr, false);
  if (json.is_discarded())
    ctx.io.out << reply << (reply.ends_with('\n') ? "" : "\n");
  else
    ctx.io.out << output::dump_json(json, true) << '\n';
  return {};
}

void
setup_api(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ApiOptions>();
  cmd.add_option("account", o->account, "Account NAME")->required();
  cmd.add_option("method", o->method, "GET or POST")->required()
    ->check(CLI::IsMember({"GET", "POST", "get", "post"}));
  cmd.add_option("path", o->path, "The platform path, e.g. /2/users/show.json or getMe")->required();
  cmd.add_option("-f,--field", o->fields, "A parameter KEY=VALUE (repeatable)");
  cmd.add_option("--input", o->input, "The request body from a file (- = stdin)");
  inv.bind(&cmd, [o](Context& ctx) { return run_api(*o, ctx); });
}

} // namespace svc::commands
