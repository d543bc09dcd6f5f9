// `svc contact ...` and `svc tag ...` run in-process (cli::run) against a state file whose contacts and
// conversations were stored through the store API as a pull would: listing and filters, show (profile,
// identities, attributes, notes, tags, timeline), link/unlink, tags as inbox filters, CSV export and
// import (round trip, bad rows reported by line and nothing changed unless --skip-bad), and usage errors.
#include <catch2/catch.hpp>

#include <svc/store/store.hpp>

#include "support/expect_svc.hpp"

namespace commands_test_contact {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

struct Env : SvcEnv {
  FixedClock seeded_at{1794990000};
  std::int64_t lin = 0, zaku = 0, band = 0;

  Env()
  {
    store::OpenOptions o;
    o.path = state;
    o.clock = &seeded_at;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    auto& s = **opened;
    auto bind = [&](const std::string& name, domain::Platform p) {
      domain::Account a;
      a.name = name;
      a.platform = p;
      a.token = {domain::SecretRef::Source::env, "TOKEN"};
      a.app_id = "app";
      a.secret = {domain::SecretRef::Source::env, "SECRET"};
      auto bound = s.accounts().bind(a, false);
      REQUIRE(bound.has_value());
      return *bound;
    };
    auto write = [&](const domain::Account& account, const std::string& uid, const std::string& name,
                     const std::string& id, const std::string& text, UnixTime at) {
      domain::InboundMessage m;
      m.platform_message_id = id;
      m.thread_key = uid;
      m.author.id = uid;
      m.author.name = name;
      m.author.location = "上海";
      m.text = text;
      m.created_at = at;
      REQUIRE(s.messages().ingest(account, "", {m}, "", store::Via::callback).has_value());
      return s.contacts().find(account.name, uid)->id;
    };
    lin = write(bind("tg", domain::Platform::telegram), "42", "Lin", "42:1", "where is my order", 1794980000);
    zaku = write(bind("wb", domain::Platform::weibo), "777", "zaku", "9001", "same question on weibo", 1794985000);
    band = write(bind("wx", domain::Platform::wechat), "oBAND", "", "r1", "在吗", 1794986000);
  }

  Outcome ok(const std::vector<std::string>& args, const std::string& stdin_text = "")
  {
    return svc::test::ok(svc, args, stdin_text);
  }
  json json_of(std::vector<std::string> args)
  {
    args.insert(args.begin(), {"--format", "json"});
    return json::parse(ok(args).out);
  }
  void fails(const std::vector<std::string>& args, int code, const std::string& message)
  {
    svc::test::fails(svc, args, code, message);
  }
};

std::vector<std::int64_t>
ids(const json& rows)
{
  std::vector<std::int64_t> out;
  for (const auto& r : rows)
    out.push_back(r.at("id"));
  return out;
}

} // namespace

TEST_CASE("svc contact list, show, set, note, link, unlink", "[commands][contacts]")
{
  Env env;

  auto list = env.json_of({"contact", "list"});
  CHECK(ids(list) == std::vector<std::int64_t>{env.band, env.zaku, env.lin});
  CHECK(list[2].at("account") == "tg");
  CHECK(list[2].at("platform") == "telegram");
  CHECK(list[2].at("platform_user_id") == "42");
  CHECK(list[2].at("name") == "Lin");
  CHECK(list[2].at("person_id").is_null());
  CHECK(list[0].at("name").is_null()); // WeChat's chat record names only the openid
  CHECK(ids(env.json_of({"contact", "list", "--account", "wb"})) == std::vector<std::int64_t>{env.zaku});
  CHECK(ids(env.json_of({"contact", "list", "--search", "LIN"})) == std::vector<std::int64_t>{env.lin});
  CHECK(env.json_of({"contact", "list", "--limit", "1"}).size() == 1);
  CHECK(env.ok({"contact", "list"}).out.find("PLATFORM ID") != std::string::npos);

  env.ok({"--as", "alice", "contact", "set", "tg:42", "city=Shanghai", "tier=gold"});
  env.ok({"--as", "alice", "contact", "set", "tg:42", "tier="});
  env.ok({"--as", "alice", "contact", "note", std::to_string(env.lin), "prefers WeChat in the evening"});
  auto linked = env.json_of({"--as", "alice", "contact", "link", "tg:42", "wb/777"});
  CHECK(linked.at("person_id").is_number_integer());
  CHECK(ids(linked.at("identities")) == std::vector<std::int64_t>{env.lin, env.zaku});

  auto show = env.json_of({"contact", "show", "wb:777"});
  CHECK(show.at("id") == env.zaku);
  CHECK(show.at("person_id") == linked.at("person_id"));
  CHECK(show.at("location") == "上海");
  CHECK(show.at("profile").at("location") == json({{"value", "上海"}, {"seen_at", "2026-11-18T08:20:00Z"}}));
  CHECK(ids(show.at("identities")) == std::vector<std::int64_t>{env.lin, env.zaku});
  CHECK(show.at("attributes") == json::object()); // attributes and notes are the identity's own
  auto lin = env.json_of({"contact", "show", "tg:42"});
  CHECK(lin.at("attributes") == json({{"city", "Shanghai"}}));
  REQUIRE(lin.at("notes").size() == 1);
  CHECK(lin.at("notes")[0].at("author") == "alice");
  CHECK(lin.at("notes")[0].at("text") == "prefers WeChat in the evening");
  // The timeline runs across both identities, oldest first.
  REQUIRE(show.at("timeline").size() == 2);
  CHECK(show.at("timeline")[0].at("text") == "where is my order");
  CHECK(show.at("timeline")[0].at("account") == "tg");
  CHECK(show.at("timeline")[1].at("text") == "same question on weibo");
  CHECK(show.at("timeline")[1].at("direction") == "in");

  auto table = env.ok({"contact", "show", "tg:42"}).out;
  CHECK(table.find("location") != std::string::npos);
  CHECK(table.find("(seen 2026-11-18T08:20:00Z)") != std::string::npos);
  CHECK(table.find("#" + std::to_string(env.zaku) + " wb:777") != std::string::npos);
  CHECK(table.find("city = Shanghai") != std::string::npos);

  auto unlinked = env.ok({"--as", "bob", "contact", "unlink", "wb:777"});
  CHECK(unlinked.err.find("Unlinked") != std::string::npos);
  CHECK(env.json_of({"contact", "show", "tg:42"}).at("identities").size() == 1);
  CHECK(env.ok({"contact", "unlink", "wb:777"}).err.find("nothing changed") != std::string::npos);

  SECTION("bad input is refused and changes nothing")
  {
    env.fails({"contact", "show", "99"}, 3, "no contact #99");
    env.fails({"contact", "show", "tg:999"}, 3, "no contact tg:999");
    env.fails({"contact", "show", "lin"}, 2, "'lin' names no contact");
    env.fails({"contact", "link", "tg:42", "tg:42"}, 2, "the same identity twice");
    env.fails({"contact", "set", "tg:42", "city"}, 2, "'city' is not KEY=VALUE");
    env.fails({"contact", "set", "tg:42", "bad key=1"}, 2, "bad attribute name 'bad key'");
    env.fails({"contact", "note", "tg:42", ""}, 2, "the note is empty");
    env.fails({"contact", "lookup", "tg"}, 2, "give one of --name NICKNAME or --id USER_ID");
    env.fails({"contact", "lookup", "tg", "--name", "lin", "--id", "42"}, 2, "hint: --name and --id exclude");
    env.fails({"contact", "list", "--tag", "nosuch"}, 3, "no tag named 'nosuch'");
    CHECK(env.json_of({"contact", "show", "tg:42"}).at("attributes") == json({{"city", "Shanghai"}}));
  }
  SECTION("the help says what CONTACT is")
  {
    CHECK(env.ok({"contact", "show", "--help"}).out.find("ACCOUNT:PLATFORM_USER_ID") != std::string::npos);
    CHECK(env.ok({"tag", "add", "--help"}).out.find("ACCOUNT:PLATFORM_USER_ID") != std::string::npos);
  }
}

TEST_CASE("svc tag add, remove, list and the --tag filters", "[commands][contacts]")
{
  Env env;
  auto added = env.ok({"--as", "alice", "tag", "add", "tg:42", "vip", "返单"});
  CHECK(added.err.find("Tagged #" + std::to_string(env.lin) + " vip, 返单") != std::string::npos);
  env.ok({"tag", "add", std::to_string(env.zaku), "vip"});
  CHECK(env.ok({"tag", "add", "tg:42", "vip"}).err.find("already had vip") != std::string::npos);

  auto tags = env.json_of({"tag", "list"});
  REQUIRE(tags.size() == 2);
  CHECK(tags[0].at("name") == "vip");
  CHECK(tags[0].at("contacts") == 2);
  CHECK(tags[1].at("name") == "返单");
  CHECK(tags[1].at("contacts") == 1);
  auto mine = env.json_of({"tag", "list", "tg:42"});
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].at("source") == "local");
  CHECK(mine[0].at("contacts") == 2);

  // Tags filter the inbox and the contact list.
  auto inbox = env.json_of({"inbox", "--tag", "返单"});
  REQUIRE(inbox.size() == 1);
  CHECK(inbox[0].at("contact").at("id") == env.lin);
  CHECK(env.json_of({"inbox", "--tag", "vip"}).size() == 2);
  CHECK(ids(env.json_of({"contact", "list", "--tag", "vip", "--tag", "返单"})) == std::vector<std::int64_t>{env.lin});

  auto removed = env.ok({"tag", "remove", "tg:42", "返单", "never"});
  CHECK(removed.err.find("Removed 返单") != std::string::npos);
  CHECK(removed.err.find("was not tagged never") != std::string::npos);
  CHECK(env.json_of({"inbox", "--tag", "返单"}).empty());
  CHECK(env.json_of({"tag", "list"})[1].at("contacts") == 0);

  env.fails({"tag", "add", "tg:42", "ok", "a;b"}, 2, "bad tag 'a;b'");
  env.fails({"tag", "add", "99", "ok"}, 3, "no contact #99");
  CHECK(env.json_of({"tag", "list", "tg:42"}).size() == 1); // "ok" was not added either
}

TEST_CASE("svc contact export and import", "[commands][contacts]")
{
  Env env;
  env.ok({"tag", "add", "tg:42", "vip", "返单"});
  env.ok({"contact", "set", "tg:42", "city=Shanghai, Pudong"});
  env.ok({"contact", "set", "wb:777", "tier=gold"});
  auto file = (env.dir / "contacts.csv").string();

  auto exported = env.ok({"contact", "export", "-o", file});
  CHECK(exported.out.empty());
  CHECK(exported.err.find("Exported 3 contact(s)") != std::string::npos);
  std::string csv = read_file(file);
  CHECK(csv == env.ok({"contact", "export"}).out); // the same bytes on stdout
  CHECK(csv.rfind("id,account,platform_user_id,name,tags,attr.city,attr.tier\r\n", 0) == 0);
  CHECK(csv.find(std::to_string(env.lin) + ",tg,42,Lin,vip;返单,\"Shanghai, Pudong\",\r\n") != std::string::npos);
  CHECK(env.ok({"contact", "export", "--tag", "返单"}).out.find(",wb,") == std::string::npos);
  // No temporary file is left beside it (it was renamed into place).
  for (const auto& entry : std::filesystem::directory_iterator(env.dir.path()))
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);

  SECTION("round trip: importing the export changes nothing")
  {
    auto report = env.json_of({"--as", "alice", "contact", "import", file});
    CHECK(report.at("changed") == 0);
    CHECK(report.at("unchanged") == 3);
    CHECK(env.ok({"contact", "export"}).out == csv);
  }
  SECTION("edits in the file are applied: tags as a set, attributes set and removed")
  {
    write_file(file, "id,account,platform_user_id,tags,attr.city\n"
                     + std::to_string(env.lin) + ",,,vip;new,\n"
                     ",wb,777,vip,Beijing\n");
    auto report = env.json_of({"--as", "alice", "contact", "import", file});
    CHECK(report.at("changed") == 2);
    auto lin = env.json_of({"contact", "show", "tg:42"});
    CHECK(lin.at("tags") == json({"new", "vip"}));
    CHECK(lin.at("attributes") == json::object());
    auto zaku = env.json_of({"contact", "show", "wb:777"});
    CHECK(zaku.at("tags") == json({"vip"}));
    CHECK(zaku.at("attributes") == json({{"city", "Beijing"}, {"tier", "gold"}}));
  }
  SECTION("bad rows: their line numbers, and nothing changes unless --skip-bad")
  {
    write_file(file, "id,account,platform_user_id,tags\n"
                     + std::to_string(env.lin) + ",,,imported\n"
                     "99,,,x\n"
                     ",tg,nobody,x\n"
                     + std::to_string(env.zaku) + ",,,\"a,b\"\n");
    auto before = env.ok({"contact", "export"}).out;
    auto refused = env.svc.run({"contact", "import", file});
    INFO(refused.err);
    CHECK(refused.code == 2);
    CHECK(refused.out.empty());
    CHECK(refused.err.find("3 bad row(s), nothing imported: line 3: no contact #99; line 4: no contact tg:nobody; "
                           "line 5: bad tag 'a,b'")
          != std::string::npos);
    CHECK(refused.err.find("hint: ") != std::string::npos);
    CHECK(env.ok({"contact", "export"}).out == before);

    auto skipped = env.svc.run({"--format", "json", "contact", "import", file, "--skip-bad"});
    INFO(skipped.err);
    REQUIRE(skipped.code == 0);
    auto report = json::parse(skipped.out);
    CHECK(report.at("changed") == 1);
    REQUIRE(report.at("skipped").size() == 3);
    CHECK(report.at("skipped")[0] == json({{"line", 3}, {"reason", "no contact #99"}}));
    CHECK(skipped.err.find("line 4 skipped: no contact tg:nobody") != std::string::npos);
    CHECK(env.json_of({"contact", "show", "tg:42"}).at("tags") == json({"imported"}));
  }
  SECTION("unreadable files")
  {
    env.fails({"contact", "import", (env.dir / "missing.csv").string()}, 2, "cannot read");
    write_file(file, "name,tags\nx,y\n");
    env.fails({"contact", "import", file}, 2, "line 1: no column names the contact");
    write_file(file, "id,colour\n1,red\n");
    env.fails({"contact", "import", file}, 2, "line 1: unknown column 'colour'");
    env.fails({"contact", "export", "-o", (env.dir / "no" / "such" / "dir.csv").string()}, 2, "cannot write");
  }
}

}  // namespace commands_test_contact
