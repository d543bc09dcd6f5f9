// Where the state file is (config::state_path) and how secrets resolve (config::resolve_secret), both
// against an explicit environment map rather than the process environment.
#include <catch2/catch.hpp>

#include <map>

#include <svc/config/paths.hpp>
#include <svc/config/secrets.hpp>

#include "support/temp_dir.hpp"

namespace config_test_config {

using namespace svc;
using namespace svc::config;
using svc::domain::SecretRef;

namespace {

Getenv
env_of(std::map<std::string, std::string> vars)
{
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty())
      return std::nullopt;
    return it->second;
  };
}

std::string
path_for(const std::optional<std::string>& flag, std::map<std::string, std::string> vars)
{
  auto p = state_path(flag, env_of(std::move(vars)));
  REQUIRE(p.has_value());
  return p->string();
}

} // namespace

TEST_CASE("config::state_path", "[config]")
{
  const std::map<std::string, std::string> all = {
    {"SVC_STATE", "/env/state.db"}, {"XDG_STATE_HOME", "/xdg"}, {"HOME", "/home/me"}};
  SECTION("--state wins over everything")
  {
    CHECK(path_for(std::string("/flag/state.db"), all) == "/flag/state.db");
    CHECK(path_for(std::string("relative.db"), all) == "relative.db");
  }
  SECTION("then SVC_STATE")
  {
    CHECK(path_for(std::nullopt, all) == "/env/state.db");
  }
  SECTION("then XDG_STATE_HOME/svc/state.db")
  {
    CHECK(path_for(std::nullopt, {{"XDG_STATE_HOME", "/xdg"}, {"HOME", "/home/me"}}) == "/xdg/svc/state.db");
  }
  SECTION("then HOME/.local/state/svc/state.db")
  {
    CHECK(path_for(std::nullopt, {{"HOME", "/home/me"}}) == "/home/me/.local/state/svc/state.db");
  }
  SECTION("a relative XDG_STATE_HOME is ignored (XDG spec)")
  {
    CHECK(path_for(std::nullopt, {{"XDG_STATE_HOME", "relative/dir"}, {"HOME", "/home/me"}})
          == "/home/me/.local/state/svc/state.db");
  }
  SECTION("empty variables count as unset")
  {
    CHECK(path_for(std::nullopt, {{"SVC_STATE", ""}, {"XDG_STATE_HOME", ""}, {"HOME", "/home/me"}})
          == "/home/me/.local/state/svc/state.db");
  }
  SECTION("no HOME and nothing else: a usage error saying what to do")
  {
    auto p = state_path(std::nullopt, env_of({}));
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error().kind == ErrorKind::usage);
    CHECK(p.error().hint.find("--state") != std::string::npos);
    CHECK(p.error().hint.find("SVC_STATE") != std::string::npos);
  }
  SECTION("an empty --state is a usage error")
  {
    auto p = state_path(std::string(), env_of(all));
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error().kind == ErrorKind::usage);
  }
}

TEST_CASE("config::process_getenv", "[config]")
{
  // The test main clears SVC_STATE and sets HOME to a temporary directory.
  CHECK_FALSE(process_getenv("SVC_STATE").has_value());
  auto home = process_getenv("HOME");
  REQUIRE(home.has_value());
  CHECK(home->find("svc-test-home-") != std::string::npos);
}

TEST_CASE("config::resolve_secret env", "[config]")
{
  const std::string secret_value = "tg-123456:SECRET-VALUE";
  SecretRef ref{SecretRef::Source::env, "SHOP_TOKEN"};
  SECTION("set: its value")
  {
    auto v = resolve_secret(ref, "token of account 'shop'", env_of({{"SHOP_TOKEN", secret_value}}));
    REQUIRE(v.has_value());
    CHECK(*v == secret_value);
  }
  SECTION("the value is read at each use, so a rotated variable just works")
  {
    CHECK(*resolve_secret(ref, "token", env_of({{"SHOP_TOKEN", "old"}})) == "old");
    CHECK(*resolve_secret(ref, "token", env_of({{"SHOP_TOKEN", "new"}})) == "new");
  }
  SECTION("unset: a usage error naming the variable and no value")
  {
    auto v = resolve_secret(ref, "token of account 'shop'", env_of({{"OTHER", secret_value}}));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().kind == ErrorKind::usage);
    CHECK(v.error().message.find("SHOP_TOKEN") != std::string::npos);
    CHECK(v.error().message.find("token of account 'shop'") != std::string::npos);
    CHECK(v.error().hint.find("SHOP_TOKEN") != std::string::npos);
    CHECK(v.error().message.find(secret_value) == std::string::npos);
    CHECK(v.error().hint.find(secret_value) == std::string::npos);
  }
  SECTION("set but empty counts as unset")
  {
    auto v = resolve_secret(ref, "token", env_of({{"SHOP_TOKEN", ""}}));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().kind == ErrorKind::usage);
  }
}

TEST_CASE("config::resolve_secret file", "[config]")
{
  test::TempDir dir;
  auto path = dir / "token";
  SecretRef ref{SecretRef::Source::file, path.string()};
  auto env = env_of({});
  SECTION("the first line, without its newline")
  {
    test::write_file(path, "file-secret\n");
    CHECK(*resolve_secret(ref, "token", env) == "file-secret");
  }
  SECTION("CRLF and no newline at all")
  {
    test::write_file(path, "crlf-secret\r\n");
    CHECK(*resolve_secret(ref, "token", env) == "crlf-secret");
    test::write_file(path, "bare-secret");
    CHECK(*resolve_secret(ref, "token", env) == "bare-secret");
  }
  SECTION("only the first line")
  {
    test::write_file(path, "line-one\nline-two\n");
    CHECK(*resolve_secret(ref, "token", env) == "line-one");
  }
  SECTION("read at each use")
  {
    test::write_file(path, "v1\n");
    CHECK(*resolve_secret(ref, "token", env) == "v1");
    test::write_file(path, "v2\n");
    CHECK(*resolve_secret(ref, "token", env) == "v2");
  }
  SECTION("a missing file: usage error naming the path")
  {
    auto v = resolve_secret(ref, "token of account 'shop'", env);
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().kind == ErrorKind::usage);
    CHECK(v.error().message.find(path.string()) != std::string::npos);
    CHECK_FALSE(v.error().hint.empty());
  }
  SECTION("an empty file: usage error")
  {
    test::write_file(path, "");
    auto v = resolve_secret(ref, "token", env);
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().kind == ErrorKind::usage);
    test::write_file(path, "\n");
    auto blank = resolve_secret(ref, "token", env);
    REQUIRE_FALSE(blank.has_value());
    CHECK(blank.error().kind == ErrorKind::usage);
  }
}

TEST_CASE("config::resolve_secret stored value and none", "[config]")
{
  auto v = resolve_secret(SecretRef{SecretRef::Source::value, "stored-secret"}, "token", env_of({}));
  REQUIRE(v.has_value());
  CHECK(*v == "stored-secret");
  auto none = resolve_secret(SecretRef{}, "token of account 'shop'", env_of({}));
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().kind == ErrorKind::usage);
  CHECK(none.error().message.find("token of account 'shop'") != std::string::npos);
}

TEST_CASE("domain::SecretRef::describe never shows a stored value", "[config]")
{
  CHECK(SecretRef{SecretRef::Source::env, "T"}.describe() == "env:T");
  CHECK(SecretRef{SecretRef::Source::file, "/p/tok"}.describe() == "file:/p/tok");
  CHECK(SecretRef{SecretRef::Source::value, "very-secret"}.describe() == "stored");
  CHECK(SecretRef{}.describe().empty());
}

}  // namespace config_test_config
