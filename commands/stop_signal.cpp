#include "commands/stop_signal.hpp"

#include <csignal>
#include <thread>

namespace svc::commands {

namespace {

volatile std::sig_atomic_t g_stop_requested = 0;

void
on_stop(int)
{
  g_stop_requested = 1;
}

constexpr std::chrono::milliseconds k_poll{100};

} // namespace

StopSignal::StopSignal()
{
  g_stop_requested = 0;
  m_previous_int = std::signal(SIGINT, on_stop);
  m_previous_term = std::signal(SIGTERM, on_stop);
}

StopSignal::~StopSignal()
{
  std::signal(SIGINT, m_previous_int);
  std::signal(SIGTERM, m_previous_term);
}

bool
StopSignal::requested() const
{
  return g_stop_requested != 0;
}

bool
StopSignal::wait_for(std::chrono::milliseconds how_long) const
{
  for (auto waited = std::chrono::milliseconds(0); waited < how_long && !requested(); waited += k_poll)
    std::this_thread::sleep_for(std::min(k_poll, how_long - waited));
  return requested();
}

void
StopSignal::wait() const
{
  while (!requested())
    std::this_thread::sleep_for(k_poll);
}

} // namespace svc::commands
