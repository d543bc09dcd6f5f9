// The --record FILE.jsonl line of one callback, the format `svc replay` reads back:
// {"received_at":"ISO8601","account":"NAME","platform":"wechat|weibo|telegram","method":"GET|POST",
//  "path":"/hook/NAME","query":"signature=...","headers":{"Content-Type":"...",
//  "X-Telegram-Bot-Api-Secret-Token":"***"},"body":"<raw body text>","status":200,"stored":1}
// The Telegram secret header is always written as "***" (query signatures are not secrets). Bytes of
// the body that are not UTF-8 become U+FFFD so the line stays valid JSON.
#pragma once

#include <string>

#include <svc/callbacks/hook.hpp>
#include <svc/core/clock.hpp>

namespace svc::callbacks {

// The headers as they were received, without the ones the HTTP server adds for itself
// (REMOTE_ADDR, ...) and with secrets redacted.
HeaderList recorded_headers(const HeaderList& headers);

// One line, without the trailing newline.
std::string record_line(UnixTime received_at, const domain::Account& account, const HookRequest& request,
                        int status, int stored);

} // namespace svc::callbacks
