// Internal: Weibo objects rendered with the real field names (platform-apis.md §1.4, fixtures
// weibo/users_show.json, comments_list_trimmed.json, statuses_timeline_trimmed.json).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <svc/sandbox/world.hpp>

namespace svc::sandbox {

// "Tue May 31 17:46:55 +0800 2011" (Beijing time, as the real API).
std::string weibo_date(UnixTime t);

nlohmann::json weibo_user(const World& world, int person, bool with_status);
nlohmann::json weibo_status(const World& world, std::size_t status);
// `reply_comment` is included when the comment answers another (rendered without its status).
nlohmann::json weibo_comment(const World& world, std::size_t comment, bool with_status = true,
                             bool with_reply = true);

} // namespace svc::sandbox
