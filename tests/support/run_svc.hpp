// Running svc in tests: in-process through cli::run (fast; command tests), or as the real binary in a
// child process (end-to-end tests), capturing stdout, stderr and the exit code either way.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/core/clock.hpp>

namespace svc::test {

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
  nlohmann::json json() const { return nlohmann::json::parse(out); }
};

// In-process, with a fixed clock and exactly the given environment (nothing from the real one).
class InProcess
{
public:
  explicit InProcess(std::string state_path, UnixTime now = 1795000000);
  Outcome run(const std::vector<std::string>& args, const std::string& stdin_text = "");
  std::map<std::string, std::string> env;
  FixedClock clock;

private:
  std::string m_state;
};

// The real binary (SVC_BINARY). `env` is added to the current environment.
Outcome run_binary(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                   const std::string& stdin_text = "");

} // namespace svc::test
