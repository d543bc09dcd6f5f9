#include <svc/http/trace.hpp>

#include <fmt/format.h>

#include <svc/http/redact.hpp>

namespace svc::http {

std::string
truncate_for_trace(std::string_view text, std::size_t limit)
{
  if (text.size() <= limit) {
    return std::string(text);
  }
  std::size_t cut = limit;
  // Back up over UTF-8 continuation bytes so a character is not split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return fmt::format("{} … ({} more bytes)", text.substr(0, cut), text.size() - cut);
}

TraceTransport::TraceTransport(Transport& inner,
                               int verbosity,
                               LogLine log,
                               std::vector<std::string> secrets,
                               std::function<std::chrono::milliseconds()> now)
  : m_inner(inner)
  , m_verbosity(verbosity)
  , m_log(std::move(log))
  , m_secrets(std::move(secrets))
  , m_now(std::move(now))
{
  if (!m_now) {
    m_now = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch());
    };
  }
}

Result<Response>
TraceTransport::send(const Request& request)
{
  if (m_verbosity <= 0 || !m_log) {
    return m_inner.send(request);
  }
  const std::chrono::milliseconds start = m_now();
  Result<Response> result = m_inner.send(request);
  const long long ms = (m_now() - start).count();

  const char* method = request.method == Method::post ? "POST" : "GET";
  std::string outcome =
    result ? std::to_string(result->status) : "error: " + result.error().message;
  // Redact after formatting (the error's message was redacted by its author, but not necessarily with
  // these secrets), and redact before truncating so a cut never leaves half a secret visible.
  m_log(redact(fmt::format("{} {} -> {} ({} ms)", method, request.url, outcome, ms), m_secrets));
  if (m_verbosity >= 2) {
    if (!request.body.empty()) {
      m_log("> " + truncate_for_trace(redact(request.body, m_secrets), k_trace_body_limit));
    }
    if (result && !result->body.empty()) {
      m_log("< " + truncate_for_trace(redact(result->body, m_secrets), k_trace_body_limit));
    }
  }
  return result;
}

} // namespace svc::http
