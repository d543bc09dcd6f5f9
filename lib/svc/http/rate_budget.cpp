#include <svc/http/rate_budget.hpp>

#include <algorithm>

namespace svc::http {

double
bucket_take(Bucket& bucket, double now, double rate_per_s, double burst)
{
  if (!(rate_per_s > 0)) { // also NaN
    return 0;
  }
  burst = std::max(burst, 1.0);
  if (now > bucket.updated_at) {
    bucket.tokens = std::min(burst, bucket.tokens + (now - bucket.updated_at) * rate_per_s);
    bucket.updated_at = now;
  }
  bucket.tokens -= 1;
  return bucket.tokens >= 0 ? 0.0 : -bucket.tokens / rate_per_s;
}

} // namespace svc::http
