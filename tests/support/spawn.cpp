#include "support/spawn.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <stdexcept>

extern char** environ;

namespace svc::test {

namespace {

// Owned strings and the null-terminated pointer array posix_spawn reads.
class CStrings
{
public:
  explicit CStrings(std::vector<std::string> strings) : m_strings(std::move(strings))
  {
    for (auto& s : m_strings)
      m_pointers.push_back(s.data());
    m_pointers.push_back(nullptr);
  }
  char* const* get() { return m_pointers.data(); }

private:
  std::vector<std::string> m_strings;
  std::vector<char*> m_pointers;
};

std::vector<std::string>
environment_with(const std::map<std::string, std::string>& extra)
{
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    auto eq = entry.find('=');
    if (eq != std::string::npos)
      merged.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  for (const auto& [k, v] : extra)
    merged[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : merged)
    out.push_back(k + "=" + v);
  return out;
}

} // namespace

pid_t
spawn_svc(const std::vector<std::string>& args, const std::map<std::string, std::string>& env, const SpawnIo& io)
{
  std::vector<std::string> argv_strings = {SVC_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  CStrings argv(argv_strings);
  CStrings envp(environment_with(env));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, io.in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, io.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, io.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, SVC_BINARY, &actions, nullptr, argv.get(), envp.get());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error("posix_spawn of svc failed");
  return pid;
}

int
wait_exit(pid_t pid)
{
  int status = 0;
  if (waitpid(pid, &status, 0) != pid)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace svc::test
