// Starting the real svc binary as a child process. posix_spawn with an explicit argv and environment:
// nothing runs between fork and exec (no setenv, no malloc), so it is safe from a test with many
// threads, such as the concurrency tests that start several svc processes at once.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace svc::test {

struct SpawnIo {
  std::filesystem::path in = "/dev/null";
  std::filesystem::path out; // created 0600, truncated
  std::filesystem::path err;
};

// SVC_BINARY with `args`, the current environment plus `env` (which wins). Throws std::runtime_error
// when the process cannot be started.
pid_t spawn_svc(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                const SpawnIo& io);

// Waits for the child: its exit code, or 128 + the signal that ended it.
int wait_exit(pid_t pid);

} // namespace svc::test
