// Fault injection for the sandbox: which faults to apply to platform requests, parsed from the
// `--faults` spec, and the thread-safe dice that decide them per request (seeded, so a run with the
// same seed and the same request order sees the same faults).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include <svc/core/result.hpp>
#include <svc/sandbox/rng.hpp>

namespace svc::sandbox {

struct Faults {
  double rate_limit = 0;        // probability of the platform's own rate-limit error
  double server_error = 0;      // probability of HTTP 500/502/503 (WeChat: sometimes errcode -1, HTTP 200)
  double truncate = 0;          // probability of a 200 whose body is cut in half
  double reset_after_send = 0;  // send endpoints only: record the send, then drop the connection
  int latency_ms = 0;           // added to every platform response
  int expire_token_after = 0;   // WeChat access tokens expire (42001) after this many calls; 0 = never
};

// "rate_limit=0.05,server_error=0.02,latency=20ms,truncate=0.01,reset_after_send=0.1,expire_token_after=500".
// Probabilities are in [0, 1]; latency takes "20ms", "1s" or a bare number of milliseconds; an empty
// spec or "none" means no faults. A bad spec is ErrorKind::usage with a hint listing the keys.
Result<Faults> parse_faults(std::string_view spec);

// What happens to one request, decided up front so a faulted read never touches the world.
struct FaultRoll {
  bool rate_limit = false;
  bool server_error = false;
  bool truncate = false;
  bool reset = false;
  std::uint64_t detail = 0;  // a random number for the fault's details (status code, retry_after)
};

class FaultDice
{
public:
  FaultDice(const Faults& faults, std::uint64_t seed) : m_faults(faults), m_rng(seed) {}

  FaultRoll roll();
  const Faults& faults() const { return m_faults; }

private:
  Faults m_faults;
  std::mutex m_mutex;
  Rng m_rng;
};

} // namespace svc::sandbox
