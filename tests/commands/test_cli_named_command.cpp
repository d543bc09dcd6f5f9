// cli::run builds the CLI11 tree of the named command only (cli/app.cpp, named_command): whatever the
// arguments, the outcome must be the one the whole tree gives. These cases are the ones where the two
// could part: words after the command that name other commands, global options (and their values)
// before it, errors after it, and help, which must still list every command.
#include <catch2/catch.hpp>

#include "support/expect_svc.hpp"

namespace commands_test_cli_named_command {

using namespace svc;
using namespace svc::test;

namespace {

struct Env : SvcEnv {
  Env() { ok(svc, {"db", "migrate"}); }
};

} // namespace

TEST_CASE("cli::a command word after the command is its argument", "[cli]")
{
  Env env;
  // "inbox" and "contact" are commands; after `search` they are the query.
  for (const auto& args : std::vector<std::vector<std::string>>{
         {"--format", "json", "search", "inbox"},
         {"--format", "json", "search", "contact"},
         {"--format", "search", "search", "inbox"}, // "search" as --format's value: then an unknown format
       }) {
    auto o = env.svc.run(args);
    INFO(Catch::Detail::stringify(args) << "\n" << o.err);
    if (args[1] == "json") {
      CHECK(o.code == 0);
      CHECK(o.json() == nlohmann::json::array());
    } else {
      CHECK(o.code == 2);
      CHECK(o.err.find("svc: error: unknown format 'search'") == 0);
    }
  }
}

TEST_CASE("cli::global options before and after a grouped command", "[cli]")
{
  Env env;
  auto before = env.svc.run({"--format", "json", "--state", env.state, "-q", "template", "list"});
  auto after = env.svc.run({"template", "list", "--format", "json", "-q"});
  INFO(before.err << after.err);
  CHECK(before.code == 0);
  CHECK(after.code == 0);
  CHECK(before.json() == nlohmann::json::array());
  CHECK(before.out == after.out);
}

TEST_CASE("cli::errors after a named command are those of the whole tree", "[cli]")
{
  Env env;
  auto extra = env.svc.run({"search", "contact", "list"}); // one query only: "list" is one word too many
  CHECK(extra.code == 2);
  CHECK(extra.err.find("svc: error: The following argument was not expected: list\n") == 0);

  auto bad_option = env.svc.run({"search", "--limt", "3", "x"});
  CHECK(bad_option.code == 2);
  CHECK(bad_option.err.find("svc: error: ") == 0);
  CHECK(bad_option.err.find("--limt") != std::string::npos);
  CHECK(bad_option.err.find("hint: run `svc --help`") != std::string::npos);

  auto missing = env.svc.run({"search"});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("query") != std::string::npos);

  // A group's unknown command is still suggested from the group's whole list.
  auto typo = env.svc.run({"template", "lst"});
  CHECK(typo.code == 2);
  CHECK(typo.err.find("did you mean `svc template list`?") != std::string::npos);
}

TEST_CASE("cli::help after a named command is its help; the root's lists every command", "[cli]")
{
  Env env;
  auto search_help = env.svc.run({"search", "--help"});
  CHECK(search_help.code == 0);
  CHECK(search_help.out.find("Usage: svc search [OPTIONS] query") != std::string::npos);
  CHECK(search_help.out.find("--limit") != std::string::npos);
  // Wherever the flag is, the help is the command's (CLI11 answers the deepest command given).
  CHECK(env.svc.run({"--help", "search"}).out == search_help.out);
  CHECK(env.svc.run({"search", "x", "--limit", "3", "--help"}).out == search_help.out);
  auto root_help = env.svc.run({"--help"});
  CHECK(root_help.code == 0);
  for (const char* command : {"search", "inbox", "pull", "contact", "template", "db", "completion"})
    CHECK(root_help.out.find(command) != std::string::npos);
  CHECK(env.svc.run({"--format", "json", "--version"}).out == "svc " SVC_VERSION "\n");
}

} // namespace commands_test_cli_named_command
