#include "support/run_svc.hpp"
#include "support/spawn.hpp"

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
  SpawnIo io{io_dir / "stdin", io_dir / "stdout", io_dir / "stderr"};
  write_file(io.in, stdin_text);
  Outcome o; // no Catch assertions here: concurrency tests call this from several threads
  o.code = wait_exit(spawn_svc(args, env, io));
  o.out = read_file(io.out);
  o.err = read_file(io.err);
  return o;
}

} // namespace svc::test
