// The clock is injected so that cursors, lease expiries and relative times ("24h") are testable.
#pragma once

#include <cstdint>

namespace svc {

// Unix time in seconds (UTC). The state file stores every time this way.
using UnixTime = std::int64_t;

class Clock
{
public:
  virtual ~Clock() = default;
  virtual UnixTime now() const = 0;
};

class SystemClock final : public Clock
{
public:
  UnixTime now() const override;
};

// A clock that stays where tests put it.
class FixedClock final : public Clock
{
public:
  explicit FixedClock(UnixTime t) : m_now(t) {}
  UnixTime now() const override { return m_now; }
  void set(UnixTime t) { m_now = t; }
  void advance(std::int64_t seconds) { m_now += seconds; }

private:
  UnixTime m_now;
};

} // namespace svc
