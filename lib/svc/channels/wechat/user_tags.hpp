// WeChat user tags (platform-apis.md §2.6): tags/get, tags/create, user/tag/get (a tag's members, 10000
// per page), tags/getidlist (one user's tags), tags/members/batchtagging and batchuntagging (at most 50
// openids). The mapping functions are pure and tested on the fixtures; WeChatUserTags makes the calls
// through the account's Client (token and errors as for every other WeChat call; the tag errcodes map
// in errors.cpp: 45157/45056/45058/45059 conflict, 45159/49003 not_found, 45158 usage).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/channels/user_tags.hpp>
#include <svc/channels/wechat/client.hpp>

namespace svc::channels::wechat {

inline constexpr TagLimits k_tag_limits{100, 30, 50, 20};
inline constexpr std::size_t k_member_page = 10000; // user/tag/get returns at most this many per page

// 0, 1 and 2 are WeChat's own tags (2 = 星标组): svc reads them and never writes to them (45058).
bool is_system_tag(std::int64_t id);

// tags/get -> every tag; an entry without an integer id is skipped.
std::vector<PlatformTag> parse_tags(const nlohmann::json& body);
// tags/create -> the new tag; failed when the reply carries no id.
Result<PlatformTag> parse_created_tag(const nlohmann::json& body);
// tags/getidlist (and user/info's tagid_list) -> tag ids as text.
std::vector<std::string> parse_tagid_list(const nlohmann::json& body);

// One page of user/tag/get.
struct MemberPage {
  std::vector<std::string> openids;
  std::string next_openid; // where the next page starts ("" at the end)
};
MemberPage parse_member_page(const nlohmann::json& body);

// Request bodies, in the key order of the reference's examples, UTF-8 kept raw.
std::string build_create_tag(const std::string& name);                            // {"tag":{"name"}}
std::string build_batch(std::int64_t tagid, const std::vector<std::string>& openids); // {"openid_list","tagid"}
std::string build_member_page(std::int64_t tagid, const std::string& next_openid); // {"tagid","next_openid"}

class WeChatUserTags final : public UserTagApi
{
public:
  explicit WeChatUserTags(Client& client) : m_client(client) {}
  TagLimits limits() const override { return k_tag_limits; }
  Result<std::vector<PlatformTag>> list_tags() override;
  Result<PlatformTag> create_tag(const std::string& name) override;
  Result<std::vector<std::string>> members(const std::string& tag_id) override;
  Result<std::vector<std::string>> tags_of(const std::string& user_id) override;
  Status tag_users(const std::string& tag_id, const std::vector<std::string>& user_ids) override;
  Status untag_users(const std::string& tag_id, const std::vector<std::string>& user_ids) override;

private:
  Status batch(const char* path, const std::string& tag_id, const std::vector<std::string>& user_ids);
  Client& m_client;
};

} // namespace svc::channels::wechat
