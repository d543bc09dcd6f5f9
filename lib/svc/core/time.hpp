// Durations ("30s", "15m", "2h", "7d", "1h30m") and times (ISO 8601 or relative to now) parsed in one
// place, with errors that say what was expected.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc {

// A positive (or zero) duration: one or more NUMBER UNIT groups, units s, m, h, d, w; "0" alone is 0.
Result<std::chrono::seconds> parse_duration(std::string_view text);

// ISO 8601 ("2026-11-22T09:30:00Z", with an offset "+08:00", a date "2026-11-22" meaning midnight UTC,
// or a space instead of 'T'), "now", or a duration meaning that long before `now` ("24h", "7d").
Result<UnixTime> parse_time(std::string_view text, UnixTime now);

// A rate "N/s", "N/m" (or "N/min"), "N/h", or a bare N per second; returns events per second (>= 0).
Result<double> parse_rate(std::string_view text);

// "2026-11-22T09:30:00Z".
std::string format_iso(UnixTime t);

// Seconds since the epoch of a UTC civil time; no validation beyond what the callers do.
UnixTime unix_from_civil(int year, unsigned month, unsigned day, int hour, int minute, int second);

// "3m", "2h 05m", "4d 03h": a short human rendering of an elapsed time for tables.
std::string format_elapsed(std::int64_t seconds);

} // namespace svc
