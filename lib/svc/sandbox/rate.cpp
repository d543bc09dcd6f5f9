#include <svc/sandbox/rate.hpp>

#include <cmath>
#include <cstdlib>
#include <string>

namespace svc::sandbox {

Result<double>
parse_rate(std::string_view text)
{
  double per = 1;
  std::string_view number = text;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    std::string_view unit = text.substr(slash + 1);
    number = text.substr(0, slash);
    if (unit == "s") {
      per = 1;
    } else if (unit == "m") {
      per = 60;
    } else if (unit == "h") {
      per = 3600;
    } else {
      per = -1;
    }
  }
  std::string digits(number);
  char* end = nullptr;
  double n = std::strtod(digits.c_str(), &end);
  if (per < 0 || digits.empty() || end != digits.c_str() + digits.size() || !std::isfinite(n) || n < 0 ||
      n / per > 100000) {
    return make_error(ErrorKind::usage, "invalid rate '{}'", text)
      .with_hint("use N/s, N/m or N/h (e.g. 5/s, 30/m), at most 100000/s; 0 disables the traffic generator");
  }
  return n / per;
}

} // namespace svc::sandbox
