#include <svc/inbox/budget.hpp>

#include <thread>

#include <svc/http/rate_budget.hpp>

namespace svc::inbox {

double
default_request_rate(domain::Platform platform)
{
  switch (platform) {
  case domain::Platform::weibo: return 10;
  case domain::Platform::wechat: return 20;
  case domain::Platform::telegram: return 25;
  }
  return 10;
}

BudgetTransport::BudgetTransport(http::Transport& inner, store::Store& store, std::int64_t account_id,
                                 double rate_per_s, std::function<double()> now, Sleep sleep)
  : m_inner(inner), m_store(store), m_account(account_id), m_rate(rate_per_s), m_now(std::move(now)),
    m_sleep(std::move(sleep))
{
  if (!m_now)
    m_now = [] {
      return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    };
  if (!m_sleep)
    m_sleep = [](std::chrono::duration<double> d) { std::this_thread::sleep_for(d); };
}

Result<http::Response>
BudgetTransport::send(const http::Request& request)
{
  if (m_rate > 0) {
    double wait = 0;
    // Taking a token is a short write transaction: concurrent processes queue on the state file's lock
    // and each sees the others' takes.
    SVC_CHECK(m_store.transaction([&]() -> Status {
      SVC_TRY(stored, m_store.budgets().get(m_account, "requests"));
      http::Bucket bucket;
      if (stored)
        bucket = http::Bucket{stored->tokens, stored->updated_at};
      wait = http::bucket_take(bucket, m_now(), m_rate, std::max(1.0, m_rate));
      return m_store.budgets().put(m_account, "requests", store::Bucket{bucket.tokens, bucket.updated_at});
    }, false)); // a budget lost in a power cut costs nothing
    if (wait > 0)
      m_sleep(std::chrono::duration<double>(wait));
  }
  return m_inner.send(request);
}

} // namespace svc::inbox
