// Running a rule's notify command: argv straight to posix_spawnp (never a shell, so nothing in a message
// can become a command), the payload on stdin through a socket (send with MSG_NOSIGNAL: a command that
// exits without reading cannot kill svc with SIGPIPE), its stdout joined to svc's stderr (svc's stdout
// carries data only).
#include <svc/automation/rules_apply.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace svc::automation {

namespace {

void
send_all(int fd, const std::string& data)
{
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return; // the command closed its stdin: what it read is its business
    sent += static_cast<std::size_t>(n);
  }
}

} // namespace

Result<int>
run_command(const std::vector<std::string>& argv, const std::string& input, std::chrono::seconds timeout)
{
  if (argv.empty() || argv.front().empty())
    return make_error(ErrorKind::usage, "the notify command is empty");
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return make_error(ErrorKind::failed, "cannot start {}: {}", argv.front(), std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, sv[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(sv[1]);
  if (rc != 0) {
    ::close(sv[0]);
    return make_error(ErrorKind::failed, "cannot run {}: {}", argv.front(), std::strerror(rc));
  }
  send_all(sv[0], input);
  ::shutdown(sv[0], SHUT_WR);
  ::close(sv[0]);

  // Wait with a deadline: poll the child, backing off to 50 ms between looks.
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid)
      break;
    if (done < 0 && errno != EINTR)
      return make_error(ErrorKind::failed, "lost track of {}: {}", argv.front(), std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return make_error(ErrorKind::temporary, "{} did not finish within {}s and was killed", argv.front(),
                        timeout.count());
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 127)
      return make_error(ErrorKind::failed, "{} could not be run (exit 127: not found?)", argv.front());
    return WEXITSTATUS(status);
  }
  return make_error(ErrorKind::failed, "{} was killed by signal {}", argv.front(),
                    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

} // namespace svc::automation
