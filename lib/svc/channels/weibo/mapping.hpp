// Weibo Open API v2 JSON -> svc::domain, pure functions with no I/O (platform-apis.md §1.4-1.7).
// Ids: `idstr` is preferred, `id` (number or string) is the fallback. Times: "Tue May 31 17:46:55
// +0800 2011". Unknown fields are ignored; missing optional fields stay empty. Nothing throws.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::channels::weibo {

// "Tue May 31 17:46:55 +0800 2011" -> 1306835215. A usage-kind error names the bad text.
Result<UnixTime> parse_time(std::string_view text);

// A User object (users/show, or nested as `user`).
domain::PlatformUser map_user(const nlohmann::json& user);

// A Comment (comments/to_me, comments/mentions) -> an inbound message on `channel`:
// platform_message_id = comment idstr, thread_key = status idstr, reply_to = reply_comment idstr.
Result<domain::InboundMessage> map_comment(const nlohmann::json& comment, domain::ChannelKind channel);

// A Status that @mentions the account -> a mention whose id and thread are both the status idstr.
Result<domain::InboundMessage> map_status_mention(const nlohmann::json& status);

// One page of a list endpoint, items newest first as the platform sent them.
struct ListPage {
  std::vector<domain::InboundMessage> messages;
  std::vector<std::int64_t> ids; // numeric ids of `messages`, same order (for paging)
  std::int64_t next_cursor = 0;  // 0: no older page
};

// `list_key` is "comments" or "statuses". A missing list key reads as an empty page (the platform's
// empty pages name a different key, e.g. fixtures/weibo/empty_list_page.json has "reposts").
// `body` is taken by value so a caller done with it can move it in: each item moves into its `raw`.
Result<ListPage> parse_list(nlohmann::json body, std::string_view list_key,
                            domain::ChannelKind channel);

} // namespace svc::channels::weibo
