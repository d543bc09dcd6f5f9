// What the command tests expect of an in-process run of svc: a state file in a fresh directory, a
// command that succeeds, and a command that is refused the way cli.md says bad input is refused.
#pragma once

#include <string>
#include <vector>

#include "support/run_svc.hpp"
#include "support/temp_dir.hpp"

namespace svc::test {

// A fresh directory with svc's state file in it, and svc run in-process on it at the fixed time `now`.
// Command tests derive their Env from it to seed the state first.
struct SvcEnv {
  explicit SvcEnv(UnixTime now = 1795000000) : svc(state, now) {}
  TempDir dir;
  std::string state = (dir / "state.db").string();
  InProcess svc;
};

// Runs `args`; REQUIREs exit 0 (showing the arguments, stdout and stderr when it is not).
Outcome ok(InProcess& svc, const std::vector<std::string>& args, const std::string& stdin_text = "");

// Runs `args` and CHECKs a refusal: exit `code`, nothing on stdout, stderr starting "svc: error: " and
// holding a "hint: " line (every error has one: cli.md), and `message` somewhere in stderr (pass
// "svc: error: " + text to pin where it starts).
Outcome fails(InProcess& svc, const std::vector<std::string>& args, int code, const std::string& message);

} // namespace svc::test
