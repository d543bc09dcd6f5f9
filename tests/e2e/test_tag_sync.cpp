// `svc tag sync` with the real binary against a real `svc sandbox serve`: the plan first (--dry-run
// changes nothing on either side), then the apply: 120 tagged contacts reach the platform in 3
// batchtagging calls (counted in the -v request lines), the platform's tags come back as 'platform'
// tags, both sides then agree tag by tag, and a second run plans nothing. A tag removed here is untagged
// there; conflicts and refusals exit with their documented codes.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>

#include "support/sandbox_process.hpp"

namespace e2e_test_tag_sync {

using namespace svc::test;
using nlohmann::json;

namespace {

// Every value of the first column of a query on the state file (read-only).
std::vector<std::string>
column(const SvcHome& home, const std::string& sql)
{
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(home.state().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  INFO(sql);
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    auto p = sqlite3_column_text(s, 0);
    out.push_back(p ? reinterpret_cast<const char*>(p) : "");
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  std::sort(out.begin(), out.end());
  return out;
}

// GET /_sandbox/wechat/tags: platform tag id -> name and members.
struct RemoteTag {
  std::string name;
  std::set<std::string> members;
};
std::map<std::string, RemoteTag>
remote_tags(const SandboxProcess& sandbox)
{
  httplib::Client client("127.0.0.1", sandbox.port());
  auto res = client.Get("/_sandbox/wechat/tags");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  std::map<std::string, RemoteTag> out;
  for (const auto& t : json::parse(res->body)) {
    auto& r = out[std::to_string(t.at("id").get<int>())];
    r.name = t.at("name");
    for (const auto& m : t.at("members"))
      r.members.insert(m.get<std::string>());
  }
  return out;
}

std::size_t
count_of(const std::string& text, const std::string& what)
{
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

std::string
quoted_list(const std::vector<std::string>& values)
{
  std::string out;
  for (const auto& v : values)
    out += (out.empty() ? "'" : ",'") + v + "'";
  return out;
}

// Both sides agree: every platform tag synced with a local tag has, among this account's contacts,
// exactly the contacts that carry the local tag.
void
check_agree(const SvcHome& home, const SandboxProcess& sandbox)
{
  auto contacts = column(home, "SELECT c.platform_user_id FROM contacts c JOIN accounts a ON a.id = c.account_id"
                               " WHERE a.name = 'wx'");
  std::set<std::string> known(contacts.begin(), contacts.end());
  auto remote = remote_tags(sandbox);
  auto mapped = column(home, "SELECT platform_tag_id FROM platform_tags");
  REQUIRE_FALSE(mapped.empty());
  for (const auto& pid : mapped) {
    INFO("platform tag " << pid);
    REQUIRE(remote.count(pid) == 1);
    std::vector<std::string> there;
    for (const auto& m : remote[pid].members)
      if (known.count(m))
        there.push_back(m);
    auto here = column(home, "SELECT c.platform_user_id FROM contact_tags x JOIN contacts c ON c.id = x.contact_id"
                             " JOIN platform_tags p ON p.tag_id = x.tag_id AND p.account_id = c.account_id"
                             " WHERE p.platform_tag_id = '" + pid + "'");
    CHECK(here == there);
  }
}

struct TagSyncWorld {
  SandboxProcess sandbox{SandboxOptions{5, 40, ""}};
  SvcHome home{sandbox};
  std::vector<std::string> customers; // 120 openids who wrote to the WeChat account

  TagSyncWorld()
  {
    home.bind("wechat", "wx", sandbox.url());
    for (int i = 1; i <= 120; ++i)
      customers.push_back(sandbox.inject("wechat", "dm", "客户" + std::to_string(i), "你好").at("from_id"));
    auto pulled = home.run({"pull", "--account", "wx"});
    INFO(describe(pulled));
    REQUIRE(pulled.code == 0);
    // The local tags (svc tag add is another command's business): "vip" on the 120.
    home.exec_sql("INSERT INTO tags (name, created_at) VALUES ('vip', 0)");
    home.exec_sql("INSERT INTO contact_tags (contact_id, tag_id, created_at) SELECT c.id, t.id, 0 FROM contacts c,"
                  " tags t WHERE t.name = 'vip' AND c.platform_user_id IN (" + quoted_list(customers) + ")");
    REQUIRE(home.query_int("SELECT count(*) FROM contact_tags") == 120);
  }

  Outcome sync(std::vector<std::string> extra = {}) const
  {
    std::vector<std::string> args = {"--format", "json", "-v", "tag", "sync", "wx"};
    args.insert(args.end(), extra.begin(), extra.end());
    return home.run(args);
  }
};

const json&
row(const json& plan, const std::string& action, const std::string& tag)
{
  for (const auto& r : plan)
    if (r.at("action") == action && r.at("tag") == tag)
      return r;
  FAIL("no " << action << " of '" << tag << "' in " << plan.dump());
  return plan;
}

} // namespace

TEST_CASE("e2e::svc tag sync", "[e2e][tag_sync]")
{
  TagSyncWorld w;
  auto before = remote_tags(w.sandbox);
  // The seeded world tags some fans "VIP客户" (id 100); some of them wrote to the account.
  REQUIRE(before.count("100") == 1);

  SECTION("--dry-run prints the plan and changes nothing on either side")
  {
    auto o = w.sync({"--dry-run"});
    INFO(describe(o));
    REQUIRE(o.code == 0);
    auto plan = o.json();
    CHECK(row(plan, "create", "vip").at("platform_tag_id").is_null());
    const auto& tag = row(plan, "tag", "vip");
    CHECK(tag.at("members") == 120);
    CHECK(tag.at("batches") == 3);
    CHECK(tag.at("platform_user_ids").size() == 120);
    CHECK(o.err.find("dry run") != std::string::npos);
    CHECK(count_of(o.err, "/cgi-bin/tags/get?") == 1); // it reads the platform...
    CHECK(count_of(o.err, "/cgi-bin/tags/create?") == 0); // ...and writes nothing
    CHECK(count_of(o.err, "/tags/members/") == 0);
    CHECK(remote_tags(w.sandbox).size() == before.size());
    CHECK(w.home.query_int("SELECT count(*) FROM platform_tags") == 0);
    CHECK(w.home.query_int("SELECT count(*) FROM contact_tags WHERE source = 'platform'") == 0);
  }

  SECTION("apply: 3 batches, the sides agree, the second run plans nothing")
  {
    auto o = w.sync();
    INFO(describe(o));
    REQUIRE(o.code == 0);
    auto plan = o.json(); // printed before applying
    CHECK(row(plan, "tag", "vip").at("batches") == 3);
    CHECK(count_of(o.err, "/cgi-bin/tags/create?") == 1);
    CHECK(count_of(o.err, "/cgi-bin/tags/members/batchtagging?") == 3);
    CHECK(o.err.find("✓ created the tag 'vip' on the platform") != std::string::npos);
    CHECK(o.err.find("(batch 3/3)") != std::string::npos);

    auto after = remote_tags(w.sandbox);
    std::string vip;
    for (const auto& [id, t] : after)
      if (t.name == "vip")
        vip = id;
    REQUIRE_FALSE(vip.empty());
    CHECK(after[vip].members == std::set<std::string>(w.customers.begin(), w.customers.end()));
    // VIP客户 came back as a 'platform' tag on the contacts the platform tags with it.
    CHECK(w.home.query_int("SELECT count(*) FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
                           " WHERE t.name = 'VIP客户' AND x.source = 'platform'")
          == static_cast<std::int64_t>(row(plan, "pull", "VIP客户").at("members").get<int>()));
    check_agree(w.home, w.sandbox);

    auto second = w.sync();
    INFO(describe(second));
    REQUIRE(second.code == 0);
    for (const auto& r : second.json())
      CHECK(r.at("action") == "skip"); // fans tagged there who never wrote here, listed
    CHECK(second.err.find("nothing to change") != std::string::npos);
    CHECK(count_of(second.err, "POST") == count_of(second.err, "/cgi-bin/user/tag/get?")); // reads only
    CHECK(remote_tags(w.sandbox).at(vip).members == after[vip].members);
  }

  SECTION("a tag removed here is untagged there; a tag added there is pulled")
  {
    REQUIRE(w.sync().code == 0);
    std::string gone = w.customers[7];
    w.home.exec_sql("DELETE FROM contact_tags WHERE contact_id = (SELECT id FROM contacts WHERE platform_user_id = '"
                    + gone + "')");
    // Another client of the platform tags a customer with a new tag (through svc api).
    std::string added = w.customers[8];
    TempDir dir;
    write_file(dir / "create.json", R"({"tag":{"name":"新来的"}})");
    auto created = w.home.run({"api", "wx", "POST", "/cgi-bin/tags/create", "--input", (dir / "create.json").string()});
    INFO(describe(created));
    REQUIRE(created.code == 0);
    int new_id = json::parse(created.out).at("tag").at("id");
    write_file(dir / "tag.json", json{{"openid_list", {added}}, {"tagid", new_id}}.dump());
    REQUIRE(w.home.run({"api", "wx", "POST", "/cgi-bin/tags/members/batchtagging", "--input",
                        (dir / "tag.json").string()}).code == 0);
    auto o = w.sync();
    INFO(describe(o));
    REQUIRE(o.code == 0);
    auto plan = o.json();
    const auto& untag = row(plan, "untag", "vip");
    CHECK(untag.at("platform_user_ids") == json::array({gone}));
    CHECK(untag.at("conflict") == "untagged_here");
    CHECK(count_of(o.err, "/cgi-bin/tags/members/batchuntagging?") == 1);
    CHECK(row(plan, "pull", "新来的").at("platform_user_ids") == json::array({added}));
    for (const auto& [id, t] : remote_tags(w.sandbox))
      if (t.name == "vip")
        CHECK(t.members.count(gone) == 0);
    CHECK(w.home.query_int("SELECT count(*) FROM contact_tags x JOIN tags t ON t.id = x.tag_id"
                           " JOIN contacts c ON c.id = x.contact_id WHERE t.name = '新来的' AND x.source = 'platform'"
                           " AND c.platform_user_id = '" + added + "'") == 1);
    check_agree(w.home, w.sandbox);
    CHECK(w.sync().err.find("nothing to change") != std::string::npos);
  }
}

TEST_CASE("e2e::svc tag sync conflicts and errors", "[e2e][tag_sync]")
{
  SandboxProcess sandbox(SandboxOptions{6, 30, ""});
  SvcHome home(sandbox);
  home.bind("wechat", "wx", sandbox.url());
  std::vector<std::string> who;
  for (int i = 1; i <= 3; ++i)
    who.push_back(sandbox.inject("wechat", "dm", "冲突" + std::to_string(i), "在吗").at("from_id"));
  REQUIRE(home.run({"pull", "--account", "wx"}).code == 0);
  std::string long_name(31, 'x');
  home.exec_sql("INSERT INTO tags (name, created_at) VALUES ('" + long_name + "', 0), ('ok', 0)");
  home.exec_sql("INSERT INTO contact_tags (contact_id, tag_id, created_at) SELECT c.id, t.id, 0 FROM contacts c,"
                " tags t WHERE c.platform_user_id IN (" + quoted_list(who) + ")");

  SECTION("a conflict is listed and exits 6; everything else is applied")
  {
    auto o = home.run({"--format", "json", "tag", "sync", "wx"});
    INFO(describe(o));
    CHECK(o.code == 6);
    CHECK(o.err.find("svc: error: 1 conflict left as it is") != std::string::npos);
    auto plan = o.json();
    const auto& c = row(plan, "conflict", long_name);
    CHECK(c.at("conflict") == "name_too_long");
    CHECK(c.at("members") == 3);
    bool ok_there = false;
    for (const auto& [id, t] : remote_tags(sandbox))
      if (t.name == "ok")
        ok_there = t.members.size() == 3;
    CHECK(ok_there);
    CHECK(home.query_int("SELECT count(*) FROM platform_tags") >= 1);
  }
  SECTION("refused credentials exit 4 and change nothing")
  {
    home.env()["WX_SECRET"] = "wrong";
    home.exec_sql("DELETE FROM access_tokens");
    auto o = home.run({"tag", "sync", "wx"});
    INFO(describe(o));
    CHECK(o.code == 4);
    CHECK(o.err.rfind("svc: error:", 0) == 0);
    CHECK(home.query_int("SELECT count(*) FROM platform_tags") == 0);
  }
  SECTION("an account whose platform has no user tags is a usage error (exit 2); an unknown one exit 3")
  {
    home.bind("telegram", "tg", sandbox.url());
    auto tg = home.run({"tag", "sync", "tg"});
    INFO(describe(tg));
    CHECK(tg.code == 2);
    CHECK(tg.err.find("WeChat") != std::string::npos);
    CHECK(home.run({"tag", "sync", "nope"}).code == 3);
  }
}

}  // namespace e2e_test_tag_sync
