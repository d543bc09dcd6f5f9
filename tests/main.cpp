// The test main. Before any test runs, HOME and the XDG directories point into a fresh temporary
// directory and SVC_STATE/SVC_FORMAT/SVC_AGENT/NO_COLOR are cleared, so no test can read or write the
// user's real state file or depend on their environment (vcpkg's catch.cpp poisons VCPKG_ROOT alike).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

int
main(int argc, char* argv[])
{
  std::string templ = (std::filesystem::temp_directory_path() / "svc-test-home-XXXXXX").string();
  if (!mkdtemp(templ.data()))
    return 1;
  setenv("HOME", templ.c_str(), 1);
  setenv("XDG_STATE_HOME", (templ + "/state").c_str(), 1);
  setenv("XDG_CONFIG_HOME", (templ + "/config").c_str(), 1);
  for (const char* var : {"SVC_STATE", "SVC_FORMAT", "SVC_AGENT", "NO_COLOR", "SVC_BUSY_TIMEOUT"})
    unsetenv(var);
  int result = Catch::Session().run(argc, argv);
  std::error_code ec;
  std::filesystem::remove_all(templ, ec);
  return result;
}
