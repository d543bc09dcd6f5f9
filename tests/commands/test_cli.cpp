// The command line as a whole (cli::run): parsing, global options anywhere, formats from flag or env,
// --help/--version, the error line, and the exit code table.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/exit.hpp"
#include "support/expect_svc.hpp"

namespace commands_test_cli {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

struct Env : SvcEnv {
  Env() { svc.env["T"] = "cli-secret-value"; }
  void bind(const std::string& name) { ok(svc, {"account", "bind", "telegram", name, "--token-env", "T"}); }
};

std::string
first_line(const std::string& s)
{
  return s.substr(0, s.find('\n'));
}

void
require_usage(const Outcome& o)
{
  INFO("stdout: " << o.out << "\nstderr: " << o.err);
  CHECK(o.code == 2);
  CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
  CHECK(o.err.find("\nhint: ") != std::string::npos);
  CHECK(o.out.empty());
}

} // namespace

TEST_CASE("cli::run usage errors exit 2 and touch no file", "[commands]")
{
  Env e;
  for (std::vector<std::string> args : {
         std::vector<std::string>{},
         {"frobnicate"},
         {"account"},
         {"account", "frobnicate"},
         {"account", "list", "--bogus"},
         {"--bogus", "account", "list"},
         {"--format", "xml", "account", "list"},
         {"account", "list", "--format", "xml"},
         {"--format"},
         {"account", "show"},
         {"db"},
       }) {
    std::string line;
    for (const auto& a : args)
      line += a + " ";
    INFO("svc " << line);
    require_usage(e.svc.run(args));
  }
  CHECK_FALSE(std::filesystem::exists(e.state));
}

TEST_CASE("cli::run --format", "[commands]")
{
  Env e;
  e.bind("shop");
  SECTION("before the command")
  {
    auto o = e.svc.run({"--format", "json", "account", "list"});
    REQUIRE(o.code == 0);
    CHECK(o.json()[0]["name"] == "shop");
  }
  SECTION("after the command (global options fall through)")
  {
    auto o = e.svc.run({"account", "list", "--format", "json"});
    REQUIRE(o.code == 0);
    CHECK(o.json()[0]["name"] == "shop");
    auto eq = e.svc.run({"account", "list", "--format=jsonl"});
    REQUIRE(eq.code == 0);
    CHECK(json::parse(eq.out)["name"] == "shop");
  }
  SECTION("SVC_FORMAT is honoured")
  {
    e.svc.env["SVC_FORMAT"] = "json";
    auto o = e.svc.run({"account", "list"});
    REQUIRE(o.code == 0);
    CHECK(o.json()[0]["name"] == "shop");
    SECTION("and the flag wins over it")
    {
      auto csv = e.svc.run({"--format", "csv", "account", "list"});
      REQUIRE(csv.code == 0);
      CHECK(csv.out.rfind("name,platform", 0) == 0);
    }
  }
  SECTION("an unknown SVC_FORMAT is a usage error")
  {
    e.svc.env["SVC_FORMAT"] = "xml";
    auto o = e.svc.run({"account", "list"});
    require_usage(o);
    CHECK(o.err.find("xml") != std::string::npos);
  }
  SECTION("the default is a table")
  {
    auto o = e.svc.run({"account", "list"});
    REQUIRE(o.code == 0);
    CHECK(o.out.rfind("NAME", 0) == 0);
    CHECK_THROWS(json::parse(o.out));
  }
}

TEST_CASE("cli::run --state", "[commands]")
{
  Env e;
  auto other = (e.dir / "elsewhere" / "other.db").string();
  SECTION("the flag wins over SVC_STATE, before or after the command")
  {
    auto o = e.svc.run({"--state", other, "account", "bind", "telegram", "shop", "--token-env", "T"});
    INFO(o.err);
    REQUIRE(o.code == 0);
    CHECK(std::filesystem::exists(other));
    CHECK_FALSE(std::filesystem::exists(e.state));
    auto list = e.svc.run({"account", "list", "--state", other, "--format", "json"});
    REQUIRE(list.code == 0);
    CHECK(list.json().size() == 1);
    auto def = e.svc.run({"--format", "json", "account", "list"}); // SVC_STATE: a new, empty file
    REQUIRE(def.code == 0);
    CHECK(def.json().empty());
  }
  SECTION("a state path inside a regular file: exit 7")
  {
    write_file(e.dir / "plain", "x");
    auto o = e.svc.run({"--state", (e.dir / "plain" / "state.db").string(), "account", "list"});
    CHECK(o.code == 7);
    CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
  }
  SECTION("a bad SVC_BUSY_TIMEOUT is a usage error")
  {
    e.svc.env["SVC_BUSY_TIMEOUT"] = "soon";
    auto o = e.svc.run({"account", "list"});
    CHECK(o.code == 2);
    CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
  }
}

TEST_CASE("cli::run --version and --help", "[commands]")
{
  Env e;
  SECTION("--version")
  {
    auto o = e.svc.run({"--version"});
    CHECK(o.code == 0);
    CHECK(o.out == "svc 0.1.0\n");
    CHECK(o.err.empty());
  }
  SECTION("--help lists the command groups")
  {
    auto o = e.svc.run({"--help"});
    CHECK(o.code == 0);
    CHECK(o.out.find("account") != std::string::npos);
    CHECK(o.out.find("db") != std::string::npos);
    CHECK(o.out.find("--format") != std::string::npos);
    CHECK(o.out.find("--state") != std::string::npos);
    CHECK(o.err.empty());
  }
  SECTION("a group's --help lists its commands")
  {
    auto o = e.svc.run({"account", "--help"});
    CHECK(o.code == 0);
    for (const char* cmd : {"bind", "list", "show", "use", "unbind"})
      CHECK(o.out.find(cmd) != std::string::npos);
    auto db = e.svc.run({"db", "--help"});
    CHECK(db.code == 0);
    for (const char* cmd : {"check", "migrate", "vacuum"})
      CHECK(db.out.find(cmd) != std::string::npos);
  }
  SECTION("a command's --help shows its options")
  {
    auto o = e.svc.run({"account", "bind", "--help"});
    CHECK(o.code == 0);
    CHECK(o.out.find("--token-env") != std::string::npos);
    CHECK(o.out.find("--token-stdin") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(e.state)); // help and version touch no file
}

TEST_CASE("cli::run -q and -v", "[commands]")
{
  Env e;
  SECTION("-q: no status line, data still printed")
  {
    auto o = e.svc.run({"-q", "account", "bind", "telegram", "shop", "--token-env", "T"});
    REQUIRE(o.code == 0);
    CHECK(o.err.empty());
    auto list = e.svc.run({"account", "list", "-q", "--format", "json"});
    REQUIRE(list.code == 0);
    CHECK(list.json().size() == 1);
  }
  SECTION("-q never mutes errors")
  {
    auto o = e.svc.run({"-q", "account", "show", "nosuch"});
    CHECK(o.code == 3);
    CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
  }
  SECTION("-v, -vv and --verbose are accepted")
  {
    CHECK(e.svc.run({"-v", "account", "list"}).code == 0);
    CHECK(e.svc.run({"-vv", "account", "list"}).code == 0);
    CHECK(e.svc.run({"account", "list", "--verbose", "--no-color"}).code == 0);
    CHECK(e.svc.run({"--as", "alice", "account", "list"}).code == 0);
  }
}

TEST_CASE("cli::exit_code", "[commands]")
{
  CHECK(cli::exit_code(ErrorKind::failed) == 1);
  CHECK(cli::exit_code(ErrorKind::usage) == 2);
  CHECK(cli::exit_code(ErrorKind::not_found) == 3);
  CHECK(cli::exit_code(ErrorKind::auth) == 4);
  CHECK(cli::exit_code(ErrorKind::temporary) == 5);
  CHECK(cli::exit_code(ErrorKind::conflict) == 6);
  CHECK(cli::exit_code(ErrorKind::state) == 7);
  CHECK(cli::exit_code(ErrorKind::partial) == 8);
  CHECK(cli::exit_code(static_cast<ErrorKind>(42)) == 1); // anything unknown is the backstop
}

TEST_CASE("cli::print_error", "[commands]")
{
  std::istringstream in;
  std::ostringstream out, err;
  io::Streams io{in, out, err};
  SECTION("message and hint, one line each")
  {
    cli::print_error(io, make_error(ErrorKind::usage, "bad\nthing").with_hint("do\rthis"));
    CHECK(err.str() == "svc: error: bad thing\nhint: do this\n");
    CHECK(out.str().empty());
  }
  SECTION("no hint line without a hint")
  {
    cli::print_error(io, make_error(ErrorKind::failed, "oops"));
    CHECK(err.str() == "svc: error: oops\n");
  }
  SECTION("quiet does not mute errors")
  {
    io.quiet = true;
    cli::print_error(io, make_error(ErrorKind::failed, "oops"));
    CHECK(err.str() == "svc: error: oops\n");
  }
}

TEST_CASE("cli::run exit codes of the current commands", "[commands]")
{
  Env e;
  CHECK(e.svc.run({"account", "list"}).code == 0);
  CHECK(e.svc.run({"account", "bind", "telegram", "bad name", "--token-env", "T"}).code == 2);
  CHECK(e.svc.run({"account", "show", "nosuch"}).code == 3);
  write_file(e.dir / "text.db", "not sqlite");
  CHECK(e.svc.run({"--state", (e.dir / "text.db").string(), "account", "list"}).code == 7);
}

TEST_CASE("cli::a mistyped command is named, with the closest command suggested", "[cli]")
{
  Env env;
  struct Case {
    std::vector<std::string> args;
    std::string message, hint;
  };
  for (const auto& c : std::vector<Case>{
         {{"pul"}, "unknown command 'pul'", "did you mean `svc pull`?"},
         {{"--format", "json", "inbx", "--limit", "3"}, "unknown command 'inbx'", "did you mean `svc inbox`?"},
         {{"--state", "other.db", "relpy", "3"}, "unknown command 'relpy'", "did you mean `svc reply`?"},
         {{"contact", "lst"}, "unknown command 'contact lst'", "did you mean `svc contact list`?"},
         {{"account", "chek", "shop"}, "unknown command 'account chek'", "did you mean `svc account check`?"},
         {{"xyzzy"}, "unknown command 'xyzzy'", "run `svc --help`"},
       }) {
    auto o = env.svc.run(c.args);
    INFO(Catch::Detail::stringify(c.args) << "\n" << o.err);
    CHECK(o.code == 2);
    CHECK(o.err.find("svc: error: " + c.message + "\n") == 0);
    CHECK(o.err.find("hint: " + c.hint) != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(env.state)); // nothing was opened, let alone created
}

}  // namespace commands_test_cli
