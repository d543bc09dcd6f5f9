#include <svc/sandbox/faults.hpp>

#include <charconv>
#include <cstdlib>
#include <string>

namespace svc::sandbox {

namespace {

constexpr const char* k_faults_hint =
  "use KEY=VALUE pairs separated by commas: rate_limit=P, server_error=P, truncate=P, "
  "reset_after_send=P (P between 0 and 1), latency=MS (e.g. 20ms), expire_token_after=N; "
  "e.g. rate_limit=0.05,latency=20ms";

Error
bad_spec(std::string message)
{
  Error e;
  e.kind = ErrorKind::usage;
  e.message = std::move(message);
  e.hint = k_faults_hint;
  return e;
}

std::string_view
trim(std::string_view s)
{
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

Result<double>
parse_probability(std::string_view key, std::string_view value)
{
  std::string text(value);
  char* end = nullptr;
  double p = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(p >= 0.0 && p <= 1.0)) {
    return bad_spec(fmt::format("invalid fault probability {}={}: expected a number between 0 and 1",
                                key, value));
  }
  return p;
}

Result<int>
parse_count(std::string_view key, std::string_view value, std::string_view suffix_ok)
{
  std::string_view digits = value;
  if (!suffix_ok.empty() && digits.size() > suffix_ok.size() &&
      digits.substr(digits.size() - suffix_ok.size()) == suffix_ok) {
    digits.remove_suffix(suffix_ok.size());
  }
  int n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() || n < 0) {
    return bad_spec(fmt::format("invalid fault value {}={}: expected a non-negative integer{}", key,
                                value, suffix_ok.empty() ? "" : fmt::format(" (optionally with {})", suffix_ok)));
  }
  return n;
}

Result<int>
parse_latency(std::string_view value)
{
  if (value.size() > 2 && value.substr(value.size() - 2) == "ms") {
    return parse_count("latency", value, "ms");
  }
  if (value.size() > 1 && value.back() == 's') {
    SVC_TRY(seconds, parse_count("latency", value, "s"));
    if (seconds > 600) {
      return bad_spec(fmt::format("invalid fault value latency={}: at most 600s", value));
    }
    return seconds * 1000;
  }
  return parse_count("latency", value, "");
}

} // namespace

Result<Faults>
parse_faults(std::string_view spec)
{
  Faults faults;
  spec = trim(spec);
  if (spec.empty() || spec == "none") {
    return faults;
  }
  while (!spec.empty()) {
    auto comma = spec.find(',');
    std::string_view item = trim(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) {
      return bad_spec("empty item in the fault spec");
    }
    auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      return bad_spec(fmt::format("fault '{}' has no value", item));
    }
    std::string_view key = trim(item.substr(0, eq));
    std::string_view value = trim(item.substr(eq + 1));
    if (key == "rate_limit") {
      SVC_TRY(p, parse_probability(key, value));
      faults.rate_limit = p;
    } else if (key == "server_error") {
      SVC_TRY(p, parse_probability(key, value));
      faults.server_error = p;
    } else if (key == "truncate") {
      SVC_TRY(p, parse_probability(key, value));
      faults.truncate = p;
    } else if (key == "reset_after_send") {
      SVC_TRY(p, parse_probability(key, value));
      faults.reset_after_send = p;
    } else if (key == "latency") {
      SVC_TRY(ms, parse_latency(value));
      faults.latency_ms = ms;
    } else if (key == "expire_token_after") {
      SVC_TRY(n, parse_count(key, value, ""));
      faults.expire_token_after = n;
    } else {
      return bad_spec(fmt::format("unknown fault '{}'", key));
    }
  }
  return faults;
}

FaultRoll
FaultDice::roll()
{
  std::lock_guard lock(m_mutex);
  FaultRoll r;
  // Every roll draws the same number of values so that one fault's probability does not shift
  // the sequence another sees.
  r.rate_limit = m_rng.unit() < m_faults.rate_limit;
  r.server_error = m_rng.unit() < m_faults.server_error;
  r.truncate = m_rng.unit() < m_faults.truncate;
  r.reset = m_rng.unit() < m_faults.reset_after_send;
  r.detail = m_rng.next();
  return r;
}

} // namespace svc::sandbox
