#include <svc/sandbox/weibo_json.hpp>

#include <array>
#include <ctime>

#include <fmt/format.h>

namespace svc::sandbox {

namespace {

constexpr std::array<const char*, 4> k_sources = {
  "<a href=\"http://app.weibo.com/t/feed/5yiHuw\" rel=\"nofollow\">svc</a>",
  "<a href=\"http://app.weibo.com/t/feed/6vtZb0\" rel=\"nofollow\">iPhone客户端</a>",
  "<a href=\"http://app.weibo.com/t/feed/5g0B8s\" rel=\"nofollow\">Android客户端</a>",
  "<a href=\"http://weibo.com/\" rel=\"nofollow\">微博 weibo.com</a>"};

const char*
source(int i)
{
  return k_sources[static_cast<std::size_t>(i) % k_sources.size()];
}

} // namespace

std::string
weibo_date(UnixTime t)
{
  static constexpr const char* k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t local = static_cast<std::time_t>(t + 8 * 3600);
  std::tm tm{};
  gmtime_r(&local, &tm);
  return fmt::format("{} {} {:02} {:02}:{:02}:{:02} +0800 {}", k_days[tm.tm_wday], k_months[tm.tm_mon],
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}

nlohmann::json
weibo_user(const World& world, int person, bool with_status)
{
  nlohmann::json u;
  bool owner = person == k_owner;
  std::int64_t uid = owner ? world.accounts.weibo_uid : world.people[static_cast<std::size_t>(person)].weibo_uid;
  std::string uids = std::to_string(uid);
  const std::string& name = owner ? world.accounts.weibo_name : world.people[static_cast<std::size_t>(person)].name;
  u["id"] = uid;
  u["idstr"] = uids;
  u["screen_name"] = name;
  u["name"] = name;
  if (owner) {
    u["province"] = "11";
    u["city"] = "8";
    u["location"] = "北京 海淀区";
    u["description"] = "星河咖啡官方微博，客服时间 9:00-22:00";
    u["gender"] = "n";
    u["followers_count"] = 102400;
    u["friends_count"] = 128;
    u["statuses_count"] = static_cast<int>(world.owner_posts.size()) + 2000;
    u["created_at"] = weibo_date(1262304000);
    u["verified"] = true;
    u["verified_type"] = 2;
    u["verified_reason"] = "星河咖啡官方微博";
  } else {
    const auto& p = world.people[static_cast<std::size_t>(person)];
    u["province"] = p.province;
    u["city"] = p.city;
    u["location"] = p.location;
    u["description"] = p.description;
    u["gender"] = p.gender;
    u["followers_count"] = p.followers;
    u["friends_count"] = p.friends;
    u["statuses_count"] = p.statuses;
    u["created_at"] = weibo_date(p.created_at);
    u["verified"] = false;
    u["verified_type"] = -1;
    u["verified_reason"] = "";
  }
  u["url"] = "";
  u["profile_image_url"] = fmt::format("http://tp1.sinaimg.cn/{}/50/0/1", uid);
  u["profile_url"] = "u/" + uids;
  u["domain"] = "";
  u["weihao"] = "";
  u["favourites_count"] = 0;
  u["following"] = false;
  u["allow_all_act_msg"] = owner;
  u["geo_enabled"] = true;
  u["remark"] = "";
  u["allow_all_comment"] = true;
  u["avatar_large"] = fmt::format("http://tp1.sinaimg.cn/{}/180/0/1", uid);
  u["avatar_hd"] = fmt::format("http://tva1.sinaimg.cn/large/{}.jpg", uids);
  u["follow_me"] = !owner;
  u["online_status"] = 0;
  u["bi_followers_count"] = owner ? 100 : 3;
  u["lang"] = "zh-cn";
  if (with_status) {
    int last = owner ? world.owner_last_status : world.people[static_cast<std::size_t>(person)].last_status;
    if (last >= 0) {
      nlohmann::json s = weibo_status(world, static_cast<std::size_t>(last));
      s.erase("user");
      u["status"] = std::move(s);
    }
  }
  return u;
}

nlohmann::json
weibo_status(const World& world, std::size_t index)
{
  const auto& s = world.statuses[index];
  std::string ids = std::to_string(s.id);
  return {{"created_at", weibo_date(s.created_at)},
          {"id", s.id},
          {"idstr", ids},
          {"mid", ids},
          {"text", s.text},
          {"source", source(s.source)},
          {"favorited", false},
          {"truncated", false},
          {"in_reply_to_status_id", ""},
          {"in_reply_to_user_id", ""},
          {"in_reply_to_screen_name", ""},
          {"pic_urls", nlohmann::json::array()},
          {"geo", nullptr},
          {"user", weibo_user(world, s.author, false)},
          {"reposts_count", 0},
          {"comments_count", s.comments_count},
          {"attitudes_count", static_cast<int>(static_cast<std::uint64_t>(s.id) % 50)},
          {"mlevel", 0},
          {"visible", {{"type", 0}, {"list_id", 0}}}};
}

nlohmann::json
weibo_comment(const World& world, std::size_t index, bool with_status, bool with_reply)
{
  const auto& c = world.comments[index];
  nlohmann::json j = {{"created_at", weibo_date(c.created_at)},
                      {"id", c.id},
                      {"idstr", std::to_string(c.id)},
                      {"mid", std::to_string(c.id)},
                      {"text", c.text},
                      {"source", source(c.source)},
                      {"user", weibo_user(world, c.author, false)}};
  if (with_status) {
    j["status"] = weibo_status(world, c.status);
  }
  if (c.reply_to && with_reply) {
    // One level, as the real API: the replied-to comment comes without its own reply_comment.
    j["reply_comment"] = weibo_comment(world, *c.reply_to, false, false);
  }
  return j;
}

} // namespace svc::sandbox
