// WeChat Official Account JSON -> svc::domain, pure functions with no I/O (platform-apis.md §2.4,
// §2.5). Nothing throws; unknown fields are ignored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::channels::wechat {

// Chat records carry no id of their own, so svc derives a stable one from what a record is:
// "OPENID:TIME:OPERCODE:HASH" where HASH is the 64-bit FNV-1a of the text in 16 hex digits. A
// re-pull of the same record yields the same id (and dedupes); two identical texts from the same
// side within the same second collapse into one, which is accepted.
std::string record_message_id(const std::string& openid, std::int64_t time, std::int64_t opercode,
                              const std::string& text);

// One page of customservice/msgrecord/getmsglist.
struct RecordPage {
  std::vector<domain::InboundMessage> messages; // only message records (opercode 2001-2003)
  std::size_t records = 0;   // records in the reply, message or not (for paging)
  std::int64_t number = 0;   // the reply's `number` (records when absent)
  std::int64_t msgid = 0;    // the reply's `msgid`: where the next request starts
};

// opercode 2003 (an agent received) and 2001 (the account received) -> Direction::in; 2002 (an
// agent sent) -> Direction::out with agent = worker. Session events (1000-1005) are skipped.
// "[image]", "[voice]", "[video]" texts set kind accordingly.
// `body` is taken by value so a caller done with it can move it in: each record moves into its `raw`.
Result<RecordPage> parse_records(nlohmann::json body);

// cgi-bin/user/info -> a user: name = remark, else nickname, else the openid (WeChat stopped sending
// nicknames in 2021). subscribe, subscribe_time, language, tagid_list, remark, unionid go to extra.
domain::PlatformUser map_user_info(const nlohmann::json& info);

// cgi-bin/user/info/batchget: at most this many openids per request (platform-apis.md §2.5).
inline constexpr std::size_t k_batchget_max = 100;
// {"user_list":[{"openid":…,"lang":"zh_CN"},…]} for the openids [first, last).
std::string build_batchget(std::vector<std::string>::const_iterator first,
                           std::vector<std::string>::const_iterator last);
// {"user_info_list":[…]} -> each entry as map_user_info does; entries without an openid are left out.
// A reply without the list is an error (temporary: an unreadable reply).
Result<std::vector<domain::PlatformUser>> map_user_info_list(const nlohmann::json& body);

// {"touser","msgtype":"text","text":{"content"}} in this key order, UTF-8 kept raw.
std::string build_text_send(const std::string& openid, const std::string& text);

} // namespace svc::channels::wechat
