// The per-account request budget: a token bucket kept in the state file, so that every svc process
// using one account (cron overlap, parallel scripts) together stays under the platform's quota.
#pragma once

#include <chrono>
#include <functional>

#include <svc/domain/model.hpp>
#include <svc/http/transport.hpp>
#include <svc/store/store.hpp>

namespace svc::inbox {

// Requests per second when the account sets none: below each platform's documented limits
// (Telegram about 30 messages/s overall; Weibo and WeChat hourly/minute quotas per token).
double default_request_rate(domain::Platform platform);

class BudgetTransport final : public http::Transport
{
public:
  using Sleep = std::function<void(std::chrono::duration<double>)>;
  // rate_per_s <= 0: no budget. `now` returns Unix time in (fractional) seconds.
  BudgetTransport(http::Transport& inner, store::Store& store, std::int64_t account_id, double rate_per_s,
                  std::function<double()> now = {}, Sleep sleep = {});
  Result<http::Response> send(const http::Request& request) override;

private:
  http::Transport& m_inner;
  store::Store& m_store;
  std::int64_t m_account;
  double m_rate;
  std::function<double()> m_now;
  Sleep m_sleep;
};

} // namespace svc::inbox
