// contacts::plan_tag_sync: local tags pushed, platform tags pulled, the record of the last sync deciding
// which side changed, each conflict reported with its members, the steps in the order they apply.
#include <catch2/catch.hpp>

#include <algorithm>

#include <svc/contacts/tag_sync.hpp>

namespace contacts_test_tag_sync_plan {

using namespace svc;
using contacts::TagAction;
using contacts::TagStep;

namespace {

// Both sides, built by hand. Contacts 1..n have openids "o1".."on".
struct Sides {
  store::TagSyncSnapshot local;
  contacts::PlatformTags platform;
  channels::TagLimits limits{100, 30, 50, 20};

  explicit Sides(int contacts = 10)
  {
    for (int i = 1; i <= contacts; ++i)
      local.contacts.push_back({i, "o" + std::to_string(i)});
  }
  std::int64_t tag(const std::string& name)
  {
    for (const auto& t : local.tags)
      if (t.name == name)
        return t.id;
    std::int64_t id = static_cast<std::int64_t>(local.tags.size()) + 1;
    local.tags.push_back({id, name});
    return id;
  }
  void carry(const std::string& name, std::vector<std::int64_t> who, const std::string& source = "local")
  {
    auto id = tag(name);
    for (auto c : who)
      local.memberships.push_back({c, id, source});
  }
  void mapped(const std::string& name, const std::string& pid) { local.mappings.push_back({tag(name), pid, 1}); }
  void synced(const std::string& name, std::vector<std::int64_t> who)
  {
    for (auto c : who)
      local.synced.push_back({tag(name), c});
  }
  void remote(const std::string& pid, const std::string& name, std::vector<std::string> users = {})
  {
    bool system = pid == "0" || pid == "1" || pid == "2";
    platform.tags.push_back({pid, name, static_cast<std::int64_t>(users.size()), system});
    if (!users.empty())
      platform.members[pid] = std::move(users);
  }
  contacts::TagSyncPlan plan() const { return contacts::plan_tag_sync(7, local, platform, limits); }
};

std::vector<std::string>
users(std::vector<int> ids)
{
  std::vector<std::string> out;
  for (int i : ids)
    out.push_back("o" + std::to_string(i));
  return out;
}

std::vector<const TagStep*>
steps(const contacts::TagSyncPlan& plan, TagAction action)
{
  std::vector<const TagStep*> out;
  for (const auto& s : plan.steps)
    if (s.action == action)
      out.push_back(&s);
  return out;
}

const TagStep&
one(const contacts::TagSyncPlan& plan, TagAction action)
{
  auto found = steps(plan, action);
  INFO("action " << contacts::to_string(action) << " in a plan of " << plan.steps.size() << " steps");
  REQUIRE(found.size() == 1);
  return *found[0];
}

std::vector<std::int64_t>
ids(std::vector<std::int64_t> v)
{
  return v;
}

} // namespace

TEST_CASE("contacts::plan_tag_sync pushes local tags", "[contacts][tag_sync]")
{
  SECTION("a tag new to the platform is created and its members tagged, 120 in 3 batches of at most 50")
  {
    Sides s(130);
    std::vector<std::int64_t> members;
    for (int i = 1; i <= 120; ++i)
      members.push_back(i);
    s.carry("vip", members);
    auto plan = s.plan();
    REQUIRE(plan.steps.size() == 2);
    CHECK(plan.steps[0].action == TagAction::create);
    CHECK(plan.steps[0].tag == "vip");
    CHECK(plan.steps[0].platform_tag_id.empty());
    const auto& tag = plan.steps[1];
    CHECK(tag.action == TagAction::tag);
    CHECK(tag.contacts == members);
    CHECK(tag.user_ids.front() == "o1");
    CHECK(tag.user_ids.size() == 120);
    auto sum = contacts::summarize(plan);
    CHECK(sum.create == 1);
    CHECK(sum.tag == 120);
    CHECK(sum.tag_batches == 3);
    CHECK(contacts::batches(120, 50) == 3);
    CHECK(contacts::batches(100, 50) == 2);
    CHECK(contacts::batches(0, 50) == 0);
    CHECK(plan.records.empty());
  }
  SECTION("a platform tag of the same name is mapped, not created; members both sides have are recorded")
  {
    Sides s;
    s.carry("广东", {1, 2, 3});
    s.remote("127", "广东", users({2, 3, 4}));
    auto plan = s.plan();
    const auto& map = one(plan, TagAction::map);
    CHECK(map.platform_tag_id == "127");
    CHECK(map.tag_id == s.tag("广东"));
    CHECK(one(plan, TagAction::tag).contacts == ids({1}));
    CHECK(one(plan, TagAction::pull).contacts == ids({4})); // never synced: the two sides are merged
    CHECK(steps(plan, TagAction::create).empty());
    REQUIRE(plan.records.size() == 1);
    CHECK(plan.records[0].agreed);
    CHECK(plan.records[0].contacts == ids({2, 3}));
  }
}

TEST_CASE("contacts::plan_tag_sync pulls platform tags", "[contacts][tag_sync]")
{
  Sides s(3);
  s.remote("2", "星标组");
  s.remote("100", "VIP客户", {"o2", "o_stranger", "o3", "o_other"});

  auto plan = s.plan();
  const auto& map = one(plan, TagAction::map);
  CHECK(map.tag == "VIP客户");
  CHECK(map.tag_id == 0); // a local tag the apply creates
  CHECK(map.platform_tag_id == "100");
  CHECK(one(plan, TagAction::pull).contacts == ids({2, 3}));
  const auto& skip = one(plan, TagAction::skip);
  CHECK(skip.user_ids == std::vector<std::string>{"o_stranger", "o_other"});
  CHECK(skip.contacts.empty());
  CHECK(contacts::summarize(plan).skipped == 2);
  // An empty platform tag is left alone.
  for (const auto& step : plan.steps)
    CHECK(step.tag != "星标组");

  SECTION("into the local tag of the same name, when it is not synced with another")
  {
    s.tag("VIP客户");
    auto again = s.plan();
    CHECK(one(again, TagAction::map).tag_id == s.tag("VIP客户"));
  }
}

TEST_CASE("contacts::plan_tag_sync: the record of the last sync decides which side changed", "[contacts][tag_sync]")
{
  Sides s;
  s.mapped("vip", "134");

  SECTION("in sync: nothing to do, nothing to record (a second run plans nothing)")
  {
    s.carry("vip", {1, 2});
    s.synced("vip", {1, 2});
    s.remote("134", "vip", users({1, 2}));
    auto plan = s.plan();
    CHECK(plan.steps.empty());
    CHECK(plan.records.empty());
    CHECK(contacts::summarize(plan).nothing_to_do());
    CHECK(contacts::tag_sync_outcome(plan));
  }
  SECTION("untagged here since the last sync: untagged there (conflict untagged_here)")
  {
    s.carry("vip", {1});
    s.synced("vip", {1, 2});
    s.remote("134", "vip", users({1, 2}));
    auto plan = s.plan();
    REQUIRE(plan.steps.size() == 1);
    const auto& untag = plan.steps[0];
    CHECK(untag.action == TagAction::untag);
    CHECK(untag.contacts == ids({2}));
    CHECK(untag.user_ids == users({2}));
    CHECK(untag.platform_tag_id == "134");
    CHECK(untag.conflict == "untagged_here");
    CHECK(contacts::tag_sync_outcome(plan)); // resolved by rule: not a failure
  }
  SECTION("untagged there since the last sync: a pulled tag is dropped here, one set here is tagged again")
  {
    s.carry("vip", {1, 2}, "local");
    s.carry("vip", {3}, "platform");
    s.synced("vip", {1, 2, 3});
    s.remote("134", "vip", users({1}));
    auto plan = s.plan();
    CHECK(one(plan, TagAction::drop).contacts == ids({3}));
    const auto& again = one(plan, TagAction::tag);
    CHECK(again.contacts == ids({2}));
    CHECK(again.conflict == "untagged_there");
  }
  SECTION("new on either side: pushed and pulled")
  {
    s.carry("vip", {1, 5});
    s.synced("vip", {1});
    s.remote("134", "vip", users({1, 6}));
    auto plan = s.plan();
    CHECK(one(plan, TagAction::tag).contacts == ids({5}));
    CHECK(one(plan, TagAction::pull).contacts == ids({6}));
  }
  SECTION("gone from both sides: forgotten")
  {
    s.carry("vip", {1});
    s.synced("vip", {1, 4});
    s.remote("134", "vip", users({1}));
    auto plan = s.plan();
    CHECK(plan.steps.empty());
    REQUIRE(plan.records.size() == 1);
    CHECK_FALSE(plan.records[0].agreed);
    CHECK(plan.records[0].contacts == ids({4}));
  }
  SECTION("steps apply in order: tag-level, untag, tag, pull, drop, skip, conflict")
  {
    s.carry("vip", {1, 2}, "local");
    s.carry("vip", {3}, "platform");
    s.synced("vip", {2, 3, 4});
    s.remote("134", "vip", users({4, 5}));
    s.remote("135", "new there", {"o7", "o_x"});
    s.carry(std::string(31, 'n'), {8});
    auto plan = s.plan();
    std::vector<TagAction> order;
    for (const auto& step : plan.steps)
      order.push_back(step.action);
    CHECK(order == std::vector<TagAction>{TagAction::map, TagAction::untag, TagAction::tag, TagAction::tag,
                                          TagAction::pull, TagAction::pull, TagAction::drop, TagAction::skip,
                                          TagAction::conflict});
  }
}

TEST_CASE("contacts::plan_tag_sync conflicts", "[contacts][tag_sync]")
{
  Sides s;

  SECTION("a name over 30 bytes is not created; its members are listed")
  {
    std::string name = "一二三四五六七八九十x"; // 31 bytes
    s.carry(name, {1, 2});
    auto plan = s.plan();
    REQUIRE(plan.steps.size() == 1);
    const auto& c = plan.steps[0];
    CHECK(c.action == TagAction::conflict);
    CHECK(c.conflict == "name_too_long");
    CHECK(c.contacts == ids({1, 2}));
    auto outcome = contacts::tag_sync_outcome(plan);
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().kind == ErrorKind::conflict);
  }
  SECTION("the platform's 100 tags: creates beyond the room left are conflicts, by name")
  {
    for (int i = 0; i < 99; ++i)
      s.remote(std::to_string(100 + i), "t" + std::to_string(i));
    s.carry("b", {1});
    s.carry("a", {2});
    auto plan = s.plan();
    CHECK(one(plan, TagAction::create).tag == "a");
    const auto& c = one(plan, TagAction::conflict);
    CHECK(c.tag == "b");
    CHECK(c.conflict == "tag_limit");
    CHECK(steps(plan, TagAction::tag).size() == 1);
  }
  SECTION("a name the platform uses for a tag synced with another local tag (45157 would follow)")
  {
    s.carry("old", {1});
    s.mapped("old", "140");
    s.synced("old", {1});
    s.remote("140", "renamed", users({1}));
    s.remote("141", "old", users({2}));   // renamed there: "old" is now another tag
    s.carry("renamed", {3});              // and the local tag named like 140 now
    auto plan = s.plan();
    auto conflicts = steps(plan, TagAction::conflict);
    REQUIRE(conflicts.size() == 2);
    for (const auto* c : conflicts)
      CHECK(c->conflict == "name_taken");
    // Neither is created nor mapped over the existing mapping.
    CHECK(steps(plan, TagAction::create).empty());
    CHECK(steps(plan, TagAction::map).empty());
  }
  SECTION("system tags are read: pulled, never tagged or untagged there")
  {
    s.remote("2", "星标组", users({1, 2}));
    s.carry("星标组", {3});
    auto plan = s.plan();
    CHECK(one(plan, TagAction::map).platform_tag_id == "2");
    CHECK(one(plan, TagAction::pull).contacts == ids({1, 2}));
    const auto& c = one(plan, TagAction::conflict);
    CHECK(c.conflict == "system_tag");
    CHECK(c.contacts == ids({3}));
    CHECK(steps(plan, TagAction::tag).empty());

    Sides later;
    later.carry("星标组", {1});
    later.mapped("星标组", "2");
    later.synced("星标组", {1, 2});
    later.remote("2", "星标组", users({1, 2}));
    auto held = later.plan();
    CHECK(steps(held, TagAction::untag).empty());
    CHECK(one(held, TagAction::conflict).contacts == ids({2}));
  }
  SECTION("a user with 20 tags is not tagged, unless the plan untags one of them first")
  {
    for (int i = 0; i < 20; ++i)
      s.remote(std::to_string(200 + i), "full" + std::to_string(i), users({1, 2}));
    s.carry("vip", {1, 2, 3});
    // Contact 2 was untagged here from one of its tags since the last sync.
    s.mapped("full0", "200");
    s.synced("full0", {1, 2});
    s.carry("full0", {1});
    auto plan = s.plan();
    const auto& c = one(plan, TagAction::conflict);
    CHECK(c.conflict == "user_tag_limit");
    CHECK(c.contacts == ids({1}));
    CHECK(one(plan, TagAction::untag).contacts == ids({2}));
    CHECK(one(plan, TagAction::tag).contacts == ids({2, 3}));
  }
}

TEST_CASE("contacts::plan_tag_sync: a synced tag deleted on the platform", "[contacts][tag_sync]")
{
  Sides s;
  s.mapped("vip", "134");
  s.synced("vip", {1});

  SECTION("still carried here: created again, all its members tagged")
  {
    s.carry("vip", {1, 2});
    auto plan = s.plan();
    const auto& create = one(plan, TagAction::create);
    CHECK(create.conflict == "recreated");
    CHECK(one(plan, TagAction::tag).contacts == ids({1, 2}));
  }
  SECTION("a tag of the same name there: mapped to it (remapped), the old record ignored")
  {
    s.carry("vip", {1});
    s.remote("150", "vip", users({2}));
    auto plan = s.plan();
    const auto& map = one(plan, TagAction::map);
    CHECK(map.conflict == "remapped");
    CHECK(map.platform_tag_id == "150");
    CHECK(one(plan, TagAction::tag).contacts == ids({1}));
    CHECK(one(plan, TagAction::pull).contacts == ids({2}));
    CHECK(steps(plan, TagAction::untag).empty());
  }
  SECTION("carried by no contact here: the mapping is forgotten")
  {
    auto plan = s.plan();
    const auto& unmap = one(plan, TagAction::unmap);
    CHECK(unmap.tag == "vip");
    CHECK(unmap.platform_tag_id == "134");
    CHECK(plan.steps.size() == 1);
  }
}

}  // namespace contacts_test_tag_sync_plan
