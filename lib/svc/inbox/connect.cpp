#include <svc/inbox/connect.hpp>

#include <svc/channels/classify.hpp>
#include <svc/config/secrets.hpp>
#include <svc/http/curl_transport.hpp>
#include <svc/http/redact.hpp>
#include <svc/http/stack.hpp>
#include <svc/inbox/budget.hpp>

namespace svc::inbox {

namespace {

// The WeChat access token, shared through the state file by concurrent svc processes.
class StoreTokenCache final : public channels::TokenCache
{
public:
  StoreTokenCache(store::Store& store, std::int64_t account_id) : m_store(store), m_account(account_id) {}
  std::optional<std::pair<std::string, UnixTime>> get() override
  {
    auto r = m_store.tokens().get(m_account);
    return r ? *r : std::nullopt;
  }
  void put(const std::string& token, UnixTime expires_at) override
  {
    (void)m_store.tokens().put(m_account, token, expires_at); // a cache: failing to keep it costs a refetch
  }
  void clear() override { (void)m_store.tokens().clear(m_account); }

private:
  store::Store& m_store;
  std::int64_t m_account;
};

// --dry-run: records each request and refuses to send it.
class CapturingTransport final : public http::Transport
{
public:
  explicit CapturingTransport(std::vector<std::string> secrets) : m_secrets(std::move(secrets)) {}
  Result<http::Response> send(const http::Request& request) override
  {
    http::Request copy = request;
    copy.url = http::redact(copy.url, m_secrets);
    copy.body = http::redact(copy.body, m_secrets);
    m_captured.push_back(std::move(copy));
    return make_error(ErrorKind::usage, "dry run: nothing was sent");
  }
  std::vector<http::Request> m_captured;

private:
  std::vector<std::string> m_secrets;
};

class RealConnection final : public Connection
{
public:
  channels::Channel& channel() override { return *m_channel; }
  const std::vector<http::Request>& captured() const override
  {
    static const std::vector<http::Request> k_none;
    return m_capture ? m_capture->m_captured : k_none;
  }

  std::unique_ptr<http::CurlTransport> m_curl;
  std::unique_ptr<CapturingTransport> m_capture;
  std::unique_ptr<BudgetTransport> m_budget;
  std::unique_ptr<http::Transport> m_stack;
  std::unique_ptr<StoreTokenCache> m_tokens;
  std::unique_ptr<channels::Channel> m_channel;
};

} // namespace

Result<std::unique_ptr<Connection>>
connect(store::Store& store, const domain::Account& account, const config::Getenv& getenv, const Clock& clock,
        const ConnectOptions& options)
{
  channels::Credentials creds;
  creds.app_id = account.app_id;
  std::string who = fmt::format("account '{}'", account.name);
  if (account.platform == domain::Platform::wechat) {
    SVC_TRY(secret, config::resolve_secret(account.secret, "app secret of " + who, getenv));
    creds.secret = secret;
  } else {
    SVC_TRY(token, config::resolve_secret(account.token, "access token of " + who, getenv));
    creds.token = token;
    if (!account.secret.empty()) {
      SVC_TRY(secret, config::resolve_secret(account.secret, "app secret of " + who, getenv));
      creds.secret = secret;
    }
  }
  std::vector<std::string> secrets;
  for (const auto& s : {creds.token, creds.secret})
    if (!s.empty())
      secrets.push_back(s);

  auto conn = std::make_unique<RealConnection>();
  http::Transport* base = nullptr;
  if (options.dry_run) {
    conn->m_capture = std::make_unique<CapturingTransport>(secrets);
    base = conn->m_capture.get();
  } else {
    http::CurlOptions curl;
    curl.secrets = secrets;
    conn->m_curl = std::make_unique<http::CurlTransport>(curl);
    base = conn->m_curl.get();
  }
  // Every attempt, retries included, spends from the account's budget (a dry run spends nothing).
  if (!options.dry_run) {
    double rate = account.request_rate.value_or(default_request_rate(account.platform));
    conn->m_budget = std::make_unique<BudgetTransport>(*base, store, account.id, rate);
    base = conn->m_budget.get();
  }
  http::StackOptions stack;
  stack.verbosity = options.verbosity;
  stack.log = options.log;
  stack.secrets = secrets;
  stack.classifier = channels::response_classifier(account.platform);
  conn->m_stack = http::make_http_stack(*base, std::move(stack));
  conn->m_tokens = std::make_unique<StoreTokenCache>(store, account.id);
  SVC_TRY(channel, channels::make_channel(account, creds, *conn->m_stack, *conn->m_tokens, clock));
  conn->m_channel = std::move(channel);
  return std::unique_ptr<Connection>(std::move(conn));
}

} // namespace svc::inbox
