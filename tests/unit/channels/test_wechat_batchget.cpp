// Batched profile lookups: WeChat user/info/batchget (request shape, chunks of 100, mapping, which
// errors stop and which skip a chunk) and the Channel default that loops over lookup_user.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include <svc/channels/channel.hpp>
#include <svc/channels/wechat/mapping.hpp>

#include "stub_transport.hpp"

namespace channels_test_wechat_batchget {

using namespace svc;
using namespace svc::channels::wechat;
using nlohmann::json;

namespace {

constexpr UnixTime k_now = test::WeChatFixture::k_now;

struct Fixture : test::WeChatFixture {
  Fixture() : WeChatFixture(true) {}
};

std::vector<std::string>
openids(int n)
{
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i)
    ids.push_back("oU" + std::to_string(i));
  return ids;
}

// The reply batchget gives for the openids of a request body: each one followed, nickname "N<openid>".
std::string
reply_for(const std::string& request_body)
{
  json list = json::array();
  json request = json::parse(request_body);
  for (const auto& entry : request.at("user_list"))
    list.push_back({{"subscribe", 1}, {"openid", entry.at("openid")}, {"nickname", "N" + entry.at("openid").get<std::string>()}});
  return json{{"user_info_list", list}}.dump();
}

std::vector<std::string>
asked(const std::string& request_body)
{
  std::vector<std::string> ids;
  json request = json::parse(request_body);
  for (const auto& entry : request.at("user_list")) {
    CHECK(entry.at("lang") == "zh_CN");
    ids.push_back(entry.at("openid"));
  }
  return ids;
}

// A channel whose lookup_user answers from a table: an id missing from it is refused with `refusal`.
class TableChannel final : public channels::Channel
{
public:
  std::map<std::string, std::string> names;
  ErrorKind refusal = ErrorKind::failed;
  std::vector<std::string> calls;

  channels::Capabilities capabilities() const override { return {}; }
  std::vector<channels::Stream> streams() const override { return {}; }
  Result<channels::Page> fetch(const channels::Stream&, const std::string&, int) override { return channels::Page{}; }
  Result<domain::SendResult> send(const domain::Outgoing&) override { return domain::SendResult{}; }
  Result<domain::PlatformUser> verify() override { return domain::PlatformUser{}; }
  Result<domain::PlatformUser> lookup_user(const std::string& id, bool by_name) override
  {
    CHECK_FALSE(by_name);
    calls.push_back(id);
    auto it = names.find(id);
    if (it == names.end())
      return make_error(refusal, "no user {}", id);
    domain::PlatformUser u;
    u.id = id;
    u.name = it->second;
    return u;
  }
  Result<std::string> raw_call(const std::string&, const std::string&,
                               const std::vector<std::pair<std::string, std::string>>&, const std::string&) override
  {
    return std::string();
  }
};

} // namespace

TEST_CASE("wechat::map_user_info_list", "[channels]")
{
  json info = json::parse(test::fixture("wechat/user_info_response.json"));
  SECTION("each entry maps as user/info does; an unfollowed user has only the openid")
  {
    json body = {{"user_info_list", {info, {{"subscribe", 0}, {"openid", "oGONE"}}, {{"subscribe", 0}}}}};
    auto users = map_user_info_list(body);
    REQUIRE(users);
    REQUIRE(users->size() == 2); // the entry without an openid is left out
    CHECK((*users)[0].id == "o6_bmjrPTlm6_2sgVt7hMZOPfL2M");
    CHECK((*users)[0].name == "Band");
    CHECK((*users)[0].location == "中国 广东 广州");
    CHECK((*users)[0].extra.at("tagid_list") == json::array({128, 2}));
    CHECK((*users)[1].id == "oGONE");
    CHECK((*users)[1].name == "oGONE");
    CHECK((*users)[1].extra.at("subscribe") == 0);
  }
  SECTION("an empty list is no user; a reply without the list is unreadable")
  {
    auto none = map_user_info_list(json{{"user_info_list", json::array()}});
    REQUIRE(none);
    CHECK(none->empty());
    CHECK(map_user_info_list(json{{"user_info_list", info}}).error().kind == ErrorKind::temporary);
    CHECK(map_user_info_list(json::object()).error().kind == ErrorKind::temporary);
    CHECK(map_user_info_list(json::array()).error().kind == ErrorKind::temporary);
  }
  SECTION("build_batchget: user_list of {openid, lang} in order")
  {
    auto ids = openids(3);
    CHECK(build_batchget(ids.cbegin() + 1, ids.cend())
          == R"({"user_list":[{"openid":"oU1","lang":"zh_CN"},{"openid":"oU2","lang":"zh_CN"}]})");
  }
}

TEST_CASE("wechat::WeChatChannel::lookup_users", "[channels]")
{
  Fixture f;
  SECTION("250 openids: three POSTs of 100, 100 and 50, every user once")
  {
    auto ids = openids(250);
    ids.insert(ids.begin() + 7, ""); // an empty id is never asked for
    auto plain = openids(250);
    for (std::size_t i = 0; i < 250; i += 100)
      f.transport.reply(200, reply_for(build_batchget(plain.cbegin() + static_cast<std::ptrdiff_t>(i),
                                                      plain.cbegin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(250, i + 100)))));
    auto ch = f.channel();
    auto users = ch->lookup_users(ids);
    REQUIRE(users);
    REQUIRE(f.transport.requests.size() == 3);
    std::vector<std::size_t> sizes;
    std::vector<std::string> all;
    for (const auto& r : f.transport.requests) {
      CHECK(r.method == http::Method::post);
      CHECK(r.url.find("/cgi-bin/user/info/batchget?") != std::string::npos);
      CHECK(test::query_of(r.url) == "access_token=T");
      auto chunk = asked(r.body);
      sizes.push_back(chunk.size());
      all.insert(all.end(), chunk.begin(), chunk.end());
    }
    CHECK(sizes == std::vector<std::size_t>{100, 100, 50});
    CHECK(all == openids(250));
    REQUIRE(users->size() == 250);
    std::set<std::string> names;
    for (const auto& u : *users)
      names.insert(u.id + "=" + u.name);
    CHECK(names.count("oU0=NoU0") == 1);
    CHECK(names.count("oU249=NoU249") == 1);
    CHECK(names.size() == 250);
  }
  SECTION("no ids: no request")
  {
    auto ch = f.channel();
    auto users = ch->lookup_users({});
    REQUIRE(users);
    CHECK(users->empty());
    CHECK(f.transport.requests.empty());
  }
  SECTION("a chunk refused (40003) or unreadable is left out; the other chunks still count")
  {
    f.transport.reply(200, R"({"errcode":40003,"errmsg":"invalid openid"})")
      .reply(200, R"({"unexpected":true})");
    auto ids = openids(250);
    auto ch = f.channel();
    f.transport.reply(200, reply_for(build_batchget(ids.cbegin() + 200, ids.cend())));
    auto users = ch->lookup_users(ids);
    REQUIRE(users);
    CHECK(f.transport.requests.size() == 3);
    REQUIRE(users->size() == 50);
    CHECK(users->front().id == "oU200");
    CHECK(users->front().name == "NoU200");
  }
  SECTION("a token refused twice: auth, and the remaining chunks are not asked")
  {
    f.transport.reply(200, R"({"errcode":40001,"errmsg":"invalid credential"})")
      .reply(200, R"({"access_token":"FRESH","expires_in":7200})")
      .reply(200, R"({"errcode":40001,"errmsg":"invalid credential"})");
    auto ch = f.channel();
    auto users = ch->lookup_users(openids(150));
    REQUIRE_FALSE(users);
    CHECK(users.error().kind == ErrorKind::auth);
    CHECK(f.transport.requests.size() == 3); // batchget, token, batchget again: never the second chunk
  }
}

TEST_CASE("channels::Channel::lookup_users default: one lookup_user per id", "[channels]")
{
  TableChannel ch;
  ch.names = {{"a", "Ann"}, {"c", "Cy"}};
  SECTION("a user refused for another reason than auth is left out")
  {
    auto users = ch.lookup_users({"a", "b", "c"});
    REQUIRE(users);
    CHECK(ch.calls == std::vector<std::string>{"a", "b", "c"});
    REQUIRE(users->size() == 2);
    CHECK((*users)[0].name == "Ann");
    CHECK((*users)[1].name == "Cy");
  }
  SECTION("an auth error stops at once")
  {
    ch.refusal = ErrorKind::auth;
    auto users = ch.lookup_users({"a", "b", "c"});
    REQUIRE_FALSE(users);
    CHECK(users.error().kind == ErrorKind::auth);
    CHECK(ch.calls == std::vector<std::string>{"a", "b"});
  }
}

}  // namespace channels_test_wechat_batchget
