// Start-up (docs/startup.md): the real binary does not load libcurl (and its ~30 dependencies) for a
// command that makes no HTTP request. The dynamic loader says what it loads (LD_DEBUG=libs, glibc).
#include <catch2/catch.hpp>

#include "support/run_svc.hpp"
#include "support/temp_dir.hpp"

namespace e2e_test_startup {

using namespace svc::test;

TEST_CASE("e2e: commands without HTTP requests do not load libcurl", "[e2e]")
{
  TempDir dir;
  std::string state = (dir / "state.db").string();
  REQUIRE(run_binary({"--state", state, "db", "migrate"}).code == 0);
  const std::map<std::string, std::string> debug{{"LD_DEBUG", "libs"}};

  for (const auto& args : std::vector<std::vector<std::string>>{
         {"--version"}, {"--state", state, "search", "发货"}, {"--state", state, "inbox"}}) {
    auto o = run_binary(args, debug);
    INFO(Catch::Detail::stringify(args) << "\n" << o.err.substr(0, 2000));
    CHECK(o.code == 0);
    // The loader's log is there (so the check below means something), and never names libcurl.
    CHECK(o.err.find("libc.so.6") != std::string::npos);
    CHECK(o.err.find("libcurl") == std::string::npos);
  }
}

} // namespace e2e_test_startup
