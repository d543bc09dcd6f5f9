// contacts::apply_tag_sync on a real state file against an in-memory platform (a fake of the side
// effect, recording every call, as ninja's VirtualFileSystem): what it writes on both sides, that the
// next plan is empty, and that a run stopped by an error carries on where it stopped.
#include <catch2/catch.hpp>

#include <set>

#include <svc/contacts/tag_sync.hpp>

#include "contacts_fixture.hpp"

namespace contacts_test_tag_sync_apply {

using namespace svc;
using contacts::TagAction;

namespace {

class FakePlatform final : public channels::UserTagApi
{
public:
  std::map<std::string, std::string> names;                 // tag id -> name
  std::map<std::string, std::set<std::string>> tagged;      // tag id -> openids
  std::vector<std::string> calls;                            // "create NAME", "tag ID N", "untag ID N"
  int fail_at = -1;                                          // the index of a write call to refuse
  int next_id = 100;

  channels::TagLimits limits() const override { return {100, 30, 50, 20}; }
  Result<std::vector<channels::PlatformTag>> list_tags() override
  {
    std::vector<channels::PlatformTag> out;
    for (const auto& [id, name] : names)
      out.push_back({id, name, static_cast<std::int64_t>(tagged[id].size()), id == "2"});
    return out;
  }
  Result<channels::PlatformTag> create_tag(const std::string& name) override
  {
    SVC_CHECK(write("create " + name));
    std::string id = std::to_string(next_id++);
    names[id] = name;
    return channels::PlatformTag{id, name, 0, false};
  }
  Result<std::vector<std::string>> members(const std::string& id) override { return members_list(id); }
  Result<std::vector<std::string>> tags_of(const std::string& user) override
  {
    std::vector<std::string> out;
    for (const auto& [id, users] : tagged)
      if (users.count(user))
        out.push_back(id);
    return out;
  }
  Status tag_users(const std::string& id, const std::vector<std::string>& users) override
  {
    REQUIRE(users.size() <= 50);
    SVC_CHECK(write("tag " + id + " " + std::to_string(users.size())));
    tagged[id].insert(users.begin(), users.end());
    return {};
  }
  Status untag_users(const std::string& id, const std::vector<std::string>& users) override
  {
    REQUIRE(users.size() <= 50);
    SVC_CHECK(write("untag " + id + " " + std::to_string(users.size())));
    for (const auto& u : users)
      tagged[id].erase(u);
    return {};
  }

private:
  std::vector<std::string> members_list(const std::string& id) { return {tagged[id].begin(), tagged[id].end()}; }
  Status write(std::string call)
  {
    calls.push_back(std::move(call));
    if (static_cast<int>(calls.size()) - 1 == fail_at)
      return make_error(ErrorKind::conflict, "WeChat error 45059: has too many tags");
    return {};
  }
};

struct Fixture : test::ContactsFixture {
  FakePlatform platform;
  std::vector<std::int64_t> contacts; // openids "o1".."oN"

  explicit Fixture(int n)
  {
    for (int i = 1; i <= n; ++i) {
      std::string id = "o" + std::to_string(i);
      contacts.push_back(write(wx, user(id, "fan " + std::to_string(i)), "m" + std::to_string(i), "hi", 1794990000 + i));
    }
  }
  void tag(std::int64_t contact, const std::string& tag) { REQUIRE(store->contacts().add_tags(contact, {tag}, "local", "alice")); }
  void untag(std::int64_t contact, const std::string& tag) { REQUIRE(store->contacts().remove_tags(contact, {tag}, "alice")); }

  contacts::TagSyncPlan plan()
  {
    auto remote = contacts::read_platform_tags(platform);
    REQUIRE(remote);
    auto local = store->tag_sync().snapshot(wx.id);
    REQUIRE(local);
    return contacts::plan_tag_sync(wx.id, *local, *remote, platform.limits());
  }
  Status apply(const contacts::TagSyncPlan& plan, std::vector<std::string>* lines = nullptr)
  {
    return contacts::apply_tag_sync(*store, platform, plan, [&](const std::string& l) {
      if (lines)
        lines->push_back(l);
    });
  }
};

} // namespace

TEST_CASE("contacts::apply_tag_sync", "[contacts][tag_sync]")
{
  Fixture f(60);
  for (auto c : f.contacts)
    f.tag(c, "vip");
  f.platform.names = {{"2", "星标组"}, {"101", "广东"}};
  f.platform.tagged["101"] = {"o1", "o2", "o_stranger"};

  auto plan = f.plan();
  std::vector<std::string> lines;
  REQUIRE(f.apply(plan, &lines));

  SECTION("both sides as planned, every step reported, and the next plan is empty")
  {
    CHECK(f.platform.calls == std::vector<std::string>{"create vip", "tag 100 50", "tag 100 10"});
    CHECK(f.platform.tagged["100"].size() == 60);
    CHECK(f.count("SELECT count(*) FROM platform_tags p JOIN tags t ON t.id = p.tag_id"
                  " WHERE t.name = 'vip' AND p.platform_tag_id = '100'") == 1);
    CHECK(f.count("SELECT count(*) FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
                  " WHERE t.name = '广东' AND x.source = 'platform'") == 2);
    CHECK(f.count("SELECT count(*) FROM platform_tag_members") == 62);
    REQUIRE(lines.size() == 5); // create, map 广东, 2 batches, pull
    CHECK(lines[0] == "created the tag 'vip' on the platform (id 100)");
    CHECK(lines[2] == "tagged 50 contacts with 'vip' on the platform (batch 1/2)");

    auto again = f.plan();
    for (const auto& s : again.steps)
      CHECK(s.action == TagAction::skip); // only o_stranger, who is no contact here
    CHECK(again.records.empty());
    REQUIRE(f.apply(again));
    CHECK(f.platform.calls.size() == 3);
  }
  SECTION("a tag removed here is removed there; one removed there and pulled from there is dropped here")
  {
    f.untag(f.contacts[4], "vip");
    f.platform.tagged["101"].erase("o2");
    auto next = f.plan();
    CHECK(contacts::summarize(next).untag == 1);
    CHECK(contacts::summarize(next).drop == 1);
    REQUIRE(f.apply(next));
    CHECK(f.platform.tagged["100"].count("o5") == 0);
    CHECK(f.count("SELECT count(*) FROM contact_tags x JOIN tags t ON t.id = x.tag_id WHERE t.name = '广东'") == 1);
    CHECK(contacts::summarize(f.plan()).nothing_to_do());
  }
}

TEST_CASE("contacts::apply_tag_sync stopped by an error carries on next time", "[contacts][tag_sync]")
{
  Fixture f(120);
  for (auto c : f.contacts)
    f.tag(c, "vip");
  f.platform.fail_at = 2; // create, batch 1, then batch 2 is refused

  auto plan = f.plan();
  auto stopped = f.apply(plan);
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().kind == ErrorKind::conflict);
  CHECK(stopped.error().message.find("tagging 50 contacts with 'vip' (batch 2/3)") == 0);
  CHECK(f.platform.tagged["100"].size() == 50);
  CHECK(f.count("SELECT count(*) FROM platform_tag_members") == 50);

  f.platform.fail_at = -1;
  auto rest = f.plan();
  CHECK(contacts::summarize(rest).create == 0);
  CHECK(contacts::summarize(rest).tag == 70);
  CHECK(contacts::summarize(rest).tag_batches == 2);
  REQUIRE(f.apply(rest));
  CHECK(f.platform.tagged["100"].size() == 120);
  CHECK(contacts::summarize(f.plan()).nothing_to_do());
}

}  // namespace contacts_test_tag_sync_apply
