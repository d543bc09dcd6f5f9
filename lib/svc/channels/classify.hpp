// Which platform replies are worth another attempt, for the retrying transport
// (http::RetryingTransport takes a ResponseClassifier). Each adapter decides from its own error
// envelope; generic HTTP rules (408/429/5xx, timeouts) stay with the retrying transport.
//   weibo:    error_code 10001/10002/10009 (busy), 10022/10023/10024 (rate limited)
//   wechat:   errcode 45011 (per-minute quota), -1 (system busy); not 45009 (daily quota)
//   telegram: 429, with parameters.retry_after (or "retry after N") as the floor
#pragma once

#include <svc/domain/model.hpp>
#include <svc/http/transport.hpp>

namespace svc::channels {

http::ResponseClassifier response_classifier(domain::Platform platform);

} // namespace svc::channels
