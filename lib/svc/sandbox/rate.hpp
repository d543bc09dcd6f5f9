// The traffic rate of `svc sandbox serve --rate`: "N/s", "N/m", "N/h" or a bare N (per second).
#pragma once

#include <string_view>

#include <svc/core/result.hpp>

namespace svc::sandbox {

// Messages per second, >= 0 ("0" disables the generator). A bad value is ErrorKind::usage with a hint.
Result<double> parse_rate(std::string_view text);

} // namespace svc::sandbox
