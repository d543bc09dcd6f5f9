// Ctrl-C and SIGTERM for long-running commands (pull --follow, listen, sandbox serve): while a StopSignal
// lives, the signals set a flag instead of killing svc, so the command finishes its current step (a
// page, a request) and shuts down cleanly; the previous handlers come back when it goes.
#pragma once

#include <chrono>

namespace svc::commands {

class StopSignal
{
public:
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  bool requested() const;
  // Sleeps up to `how_long`, returning early (true) once a stop is requested.
  bool wait_for(std::chrono::milliseconds how_long) const;
  // Sleeps until a stop is requested.
  void wait() const;

private:
  void (*m_previous_int)(int);
  void (*m_previous_term)(int);
};

} // namespace svc::commands
