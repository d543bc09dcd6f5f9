// Starting a cpp-httplib server's accept loop on its own thread, safely stoppable at once.
#pragma once

#include <chrono>
#include <thread>

namespace svc {

// httplib's Server::stop() does nothing until listen_after_bind() has marked the server running, so a
// stop() that comes first (a test that fails early, a SIGTERM right after start) leaves the accept loop
// running for ever and the join hanging. This starts the loop and returns once it runs (or after 10 s,
// when the loop could not start at all). Templated so that core need not depend on httplib.
template <class Server>
std::thread
start_accept_loop(Server& server)
{
  std::thread loop([&server] { server.listen_after_bind(); });
  for (int i = 0; i < 10000 && !server.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return loop;
}

} // namespace svc
