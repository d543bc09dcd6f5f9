#include "support/run_svc.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>

#include "cli/app.hpp"
#include "support/temp_dir.hpp"

namespace svc::test {

InProcess::InProcess(std::string state_path, UnixTime now) : clock(now), m_state(std::move(state_path)) {}

Outcome
InProcess::run(const std::vector<std::string>& args, const std::string& stdin_text)
{
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  io::Streams io{in, out, err};
  auto env_copy = env;
  env_copy.emplace("SVC_STATE", m_state);
  config::Getenv getenv = [env_copy](const std::string& name) -> std::optional<std::string> {
    auto it = env_copy.find(name);
    if (it == env_copy.end() || it->second.empty())
      return std::nullopt;
    return it->second;
  };
  Outcome o;
  o.code = cli::run(args, io, clock, getenv);
  o.out = out.str();
  o.err = err.str();
  return o;
}

Outcome
run_binary(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
           const std::string& stdin_text)
{
  TempDir io_dir;
  auto in_path = io_dir / "stdin", out_path = io_dir / "stdout", err_path = io_dir / "stderr";
  write_file(in_path, stdin_text);
  pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    int in = ::open(in_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    for (const auto& [k, v] : env)
      setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    std::string bin = SVC_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Outcome o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  o.out = read_file(out_path);
  o.err = read_file(err_path);
  return o;
}

} // namespace svc::test
