// Errors as values. Every public lib function that can fail for an expected reason (network, a
// platform's reply, bad input, a busy or corrupt state file) returns Result<T>. The kinds map to the
// exit codes of ../shared/design/cli.md in exactly one place: cli/exit.cpp.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace svc {

enum class ErrorKind {
  failed = 1,     // a bug or an unexpected condition
  usage = 2,      // bad command line or bad value
  not_found = 3,  // no such account, conversation, contact, message
  auth = 4,       // the platform refused the credentials
  temporary = 5,  // rate limited, network down, 5xx, after the retry budget
  conflict = 6,   // claimed by another agent, or would send twice
  state = 7,      // state file locked past the timeout, corrupt, or newer
  partial = 8,    // some accounts succeeded, some failed
};

struct Error {
  ErrorKind kind = ErrorKind::failed;
  std::string message;
  std::string hint;
  std::optional<int> http_status;
  // Set when a request that changes something (a send) may have reached the platform although no
  // answer came back: such a request is never repeated automatically.
  bool outcome_unknown = false;
  // A platform's own floor for the next attempt (Retry-After, Telegram retry_after), in seconds.
  std::optional<double> retry_after_s;

  Error with_hint(std::string h) &&
  {
    hint = std::move(h);
    return std::move(*this);
  }
  // "context: message", keeping kind and hint (e.g. prefixing the account name).
  Error prefixed(const std::string& context) const
  {
    Error e = *this;
    e.message = context + ": " + message;
    return e;
  }
};

template <class... Args>
Error
make_error(ErrorKind kind, fmt::format_string<Args...> f, Args&&... args)
{
  Error e;
  e.kind = kind;
  e.message = fmt::format(f, std::forward<Args>(args)...);
  return e;
}

// A std::expected-shaped result (C++20 and clang 14 have no <expected>): has_value(), value(),
// error(), operator bool, operator* and operator->, so a later switch is mechanical.
template <class T>
class [[nodiscard]] Result
{
public:
  Result(const T& v) : m_v(std::in_place_index<0>, v) {}
  Result(T&& v) : m_v(std::in_place_index<0>, std::move(v)) {}
  Result(Error e) : m_v(std::in_place_index<1>, std::move(e)) {}

  bool has_value() const { return m_v.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(m_v); }
  const T& value() const& { return std::get<0>(m_v); }
  T&& value() && { return std::get<0>(std::move(m_v)); }
  const Error& error() const& { return std::get<1>(m_v); }
  Error&& error() && { return std::get<1>(std::move(m_v)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

private:
  std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void>
{
public:
  Result() = default;
  Result(Error e) : m_error(std::move(e)) {}

  bool has_value() const { return !m_error; }
  explicit operator bool() const { return has_value(); }
  void value() const {}
  const Error& error() const& { return *m_error; }
  Error&& error() && { return std::move(*m_error); }

private:
  std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace svc

#define SVC_CONCAT_INNER(a, b) a##b
#define SVC_CONCAT(a, b) SVC_CONCAT_INNER(a, b)

// SVC_TRY(var, expr): evaluate a Result, return its error from the enclosing function, else bind the
// value to `var` (ccache's TRY, extended to bind).
#define SVC_TRY(var, expr)                                                                         \
  auto SVC_CONCAT(svc_try_, __LINE__) = (expr);                                                    \
  if (!SVC_CONCAT(svc_try_, __LINE__))                                                             \
    return std::move(SVC_CONCAT(svc_try_, __LINE__)).error();                                      \
  auto var = std::move(SVC_CONCAT(svc_try_, __LINE__)).value()

// SVC_CHECK(expr): evaluate a Result and return its error, discarding any value.
#define SVC_CHECK(expr)                                                                            \
  do {                                                                                             \
    auto svc_check_result = (expr);                                                                \
    if (!svc_check_result)                                                                         \
      return std::move(svc_check_result).error();                                                  \
  } while (0)
