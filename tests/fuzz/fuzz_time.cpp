// libFuzzer target: durations, times and rates as users type them (lib/svc/core/time). A time that
// parses formats as ISO 8601 and parses back to itself.
#include <cstdint>
#include <string>

#include <svc/core/time.hpp>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)svc::parse_duration(text);
  (void)svc::parse_rate(text);
  const svc::UnixTime now = 1795000000;
  if (auto t = svc::parse_time(text, now)) {
    auto iso = svc::format_iso(*t);
    auto again = svc::parse_time(iso, now);
    if (!again || *again != *t)
      __builtin_trap();
    (void)svc::format_elapsed(*t - now);
  }
  return 0;
}
