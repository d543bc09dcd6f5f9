// Pacing of `svc send --rate N/min`: sends start at least 1/rate apart. Pure arithmetic on times the
// caller gives (seconds on any monotonic clock), so it is tested without sleeping; the command sleeps.
#pragma once

namespace svc::inbox {

class Pacer
{
public:
  // `per_second` <= 0: no pacing.
  explicit Pacer(double per_second) : m_interval(per_second > 0 ? 1.0 / per_second : 0.0) {}

  // Seconds to wait at `now` before the next send may start (0 for the first one).
  double delay(double now) const
  {
    if (!m_started || m_interval <= 0)
      return 0;
    double wait = m_last + m_interval - now;
    return wait > 0 ? wait : 0;
  }
  // A send started at `now`.
  void started(double now)
  {
    m_started = true;
    m_last = now;
  }
  double interval() const { return m_interval; }

private:
  double m_interval;
  bool m_started = false; // (not std::optional: g++ 12 warns maybe-uninitialized on it at -O2)
  double m_last = 0;
};

} // namespace svc::inbox
