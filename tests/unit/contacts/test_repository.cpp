// ContactRepository on a real state file: linking identities into persons (and merging persons), the
// timeline across linked identities, tags, attributes, list filters, and the all-or-nothing import.
#include <catch2/catch.hpp>

#include <svc/contacts/names.hpp>

#include "contacts_fixture.hpp"

namespace contacts_test_repository {

using namespace svc;
using namespace svc::test;

namespace {

std::vector<std::int64_t>
ids_of(const std::vector<store::ContactRow>& rows)
{
  std::vector<std::int64_t> out;
  for (const auto& r : rows)
    out.push_back(r.id);
  return out;
}

} // namespace

TEST_CASE("store::contacts link and unlink", "[contacts]")
{
  ContactsFixture f;
  auto& contacts = f.store->contacts();
  auto a = f.write(f.tg, ContactsFixture::user("42", "Lin"), "42:1", "hi from telegram", 1794990000);
  auto b = f.write(f.wb, ContactsFixture::user("1404376560", "zaku"), "900", "hi from weibo", 1794991000);
  auto c = f.write(f.wx, ContactsFixture::user("oLIN", ""), "r1", "hi from wechat", 1794992000);
  auto d = f.write(f.tg, ContactsFixture::user("43", "Other"), "43:1", "someone else", 1794993000);
  f.write(f.tg, ContactsFixture::user("42", "Lin"), "42:2", "answer", 1794994000, domain::Direction::out, "alice");

  SECTION("two identities become one person, audited on both")
  {
    auto person = contacts.link(a, b, "alice");
    REQUIRE(person.has_value());
    CHECK(contacts.get(a)->person_id == *person);
    CHECK(contacts.get(b)->person_id == *person);
    CHECK(ids_of(*contacts.identities(a)) == std::vector<std::int64_t>{a, b});
    CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'linked' AND agent = 'alice'") == 2);

    // The timeline holds both identities' messages, in and out, oldest first, and nobody else's.
    auto timeline = contacts.timeline(b);
    REQUIRE(timeline.has_value());
    std::vector<std::string> texts;
    for (const auto& e : *timeline)
      texts.push_back(e.text);
    CHECK(texts == std::vector<std::string>{"hi from telegram", "hi from weibo", "answer"});
    CHECK(timeline->back().direction == domain::Direction::out);
    CHECK(timeline->back().agent == "alice");

    SECTION("linking them again changes nothing")
    {
      CHECK(*contacts.link(b, a, "bob") == *person);
      CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'linked'") == 2);
    }
    SECTION("a third identity joins the person")
    {
      CHECK(*contacts.link(c, a, "alice") == *person);
      CHECK(ids_of(*contacts.identities(c)) == std::vector<std::int64_t>{a, b, c});
    }
    SECTION("two persons merge into one")
    {
      auto other = contacts.link(c, d, "bob");
      REQUIRE(other.has_value());
      REQUIRE(*other != *person);
      auto merged = contacts.link(d, b, "bob");
      REQUIRE(merged.has_value());
      CHECK(ids_of(*contacts.identities(a)) == std::vector<std::int64_t>{a, b, c, d});
      CHECK(f.count("SELECT count(*) FROM persons") == 1);
      // d and b are audited as linked, and so is a, which moved with b's person into d's.
      CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'linked' AND agent = 'bob' AND contact_id = "
                    + std::to_string(a))
            == 1);
      CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'linked' AND agent = 'bob'") == 5);
    }
    SECTION("unlink detaches one; a person left with one identity is dissolved")
    {
      REQUIRE(*contacts.link(c, a, "alice") == *person);
      CHECK(*contacts.unlink(a, "carol"));
      CHECK_FALSE(contacts.get(a)->person_id.has_value());
      CHECK(ids_of(*contacts.identities(b)) == std::vector<std::int64_t>{b, c});
      CHECK(*contacts.unlink(b, "carol"));
      CHECK_FALSE(contacts.get(c)->person_id.has_value());
      CHECK(f.count("SELECT count(*) FROM persons") == 0);
      CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'unlinked' AND agent = 'carol'") == 3);
      CHECK_FALSE(*contacts.unlink(b, "carol")); // not linked: nothing to do
    }
  }

  SECTION("bad links change nothing")
  {
    CHECK(contacts.link(a, a, "alice").error().kind == ErrorKind::usage);
    CHECK(contacts.link(a, 999, "alice").error().kind == ErrorKind::not_found);
    CHECK(f.count("SELECT count(*) FROM persons") == 0);
    CHECK(f.count("SELECT count(*) FROM audit_log WHERE contact_id IS NOT NULL") == 0);
  }
}

TEST_CASE("store::contacts tags, attributes, notes and list filters", "[contacts]")
{
  ContactsFixture f;
  auto& contacts = f.store->contacts();
  auto a = f.write(f.tg, ContactsFixture::user("42", "Lin Wei"), "42:1", "hi", 1794990000);
  auto b = f.write(f.wb, ContactsFixture::user("777", "zaku"), "900", "hi", 1794991000);

  auto added = contacts.add_tags(a, {"vip", "返单", "vip"}, "local", "alice");
  REQUIRE(added.has_value());
  CHECK(added->changed == std::vector<std::string>{"vip", "返单"});
  CHECK(contacts.add_tags(a, {"vip"}, "local", "alice")->unchanged == std::vector<std::string>{"vip"});
  REQUIRE(contacts.add_tags(b, {"vip"}, "local", "alice").has_value());
  CHECK(contacts.get(a)->tags == std::vector<std::string>{"vip", "返单"});

  auto counts = contacts.tag_counts();
  REQUIRE(counts.has_value());
  REQUIRE(counts->size() == 2);
  CHECK((*counts)[0].name == "vip");
  CHECK((*counts)[0].contacts == 2);
  CHECK((*counts)[1].contacts == 1);

  auto removed = contacts.remove_tags(a, {"返单", "never"}, "bob");
  REQUIRE(removed.has_value());
  CHECK(removed->changed == std::vector<std::string>{"返单"});
  CHECK(removed->unchanged == std::vector<std::string>{"never"});
  CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'untagged' AND agent = 'bob'") == 1);

  REQUIRE(contacts.set_attributes(a, {{"city", "Shanghai"}, {"tier", "gold"}}, "alice").has_value());
  REQUIRE(contacts.set_attributes(a, {{"tier", ""}, {"city", "Shanghai"}}, "alice").has_value());
  CHECK(contacts.get(a)->attributes == std::map<std::string, std::string>{{"city", "Shanghai"}});
  CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'attributes_set'") == 2);
  REQUIRE(contacts.set_attributes(a, {{"city", "Shanghai"}}, "alice").has_value()); // no change: no audit
  CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'attributes_set'") == 2);

  REQUIRE(contacts.add_note(b, "prefers mornings", "alice").has_value());
  CHECK(contacts.add_note(b, "", "alice").error().kind == ErrorKind::usage);
  auto notes = contacts.notes(b);
  REQUIRE(notes->size() == 1);
  CHECK(notes->front().author == "alice");

  auto list = [&](store::ContactFilter filter) { return ids_of(*contacts.list(filter)); };
  CHECK(list({}) == std::vector<std::int64_t>{b, a}); // last seen first
  CHECK(list({{"vip"}, {}, "", 0}) == std::vector<std::int64_t>{b, a});
  CHECK(list({{"vip"}, f.tg.id, "", 0}) == std::vector<std::int64_t>{a});
  CHECK(list({{}, {}, "lin w", 0}) == std::vector<std::int64_t>{a});  // name, case-insensitive
  CHECK(list({{}, {}, "shang", 0}) == std::vector<std::int64_t>{a});  // attribute value
  CHECK(list({{}, {}, "777", 0}) == std::vector<std::int64_t>{b});    // platform user id
  CHECK(list({{}, {}, "", 1}).size() == 1);
  CHECK(contacts.list({{"nosuch"}, {}, "", 0}).error().kind == ErrorKind::not_found);

  // References: the svc id, or ACCOUNT:PLATFORM_USER_ID (or with '/').
  CHECK(contacts::resolve(*f.store, std::to_string(b))->id == b);
  CHECK(contacts::resolve(*f.store, "tg:42")->id == a);
  CHECK(contacts::resolve(*f.store, "wb/777")->id == b);
  CHECK(contacts::resolve(*f.store, "tg:777").error().kind == ErrorKind::not_found);
  CHECK(contacts::resolve(*f.store, "nobody").error().kind == ErrorKind::usage);
  CHECK(contacts::resolve(*f.store, "tg:").error().kind == ErrorKind::usage);
}

TEST_CASE("store::contacts import is all or nothing unless skip_bad", "[contacts]")
{
  ContactsFixture f;
  auto& contacts = f.store->contacts();
  auto a = f.write(f.tg, ContactsFixture::user("42", "Lin"), "42:1", "hi", 1794990000);
  auto b = f.write(f.wb, ContactsFixture::user("777", "zaku"), "900", "hi", 1794991000);
  REQUIRE(contacts.add_tags(a, {"old"}, "local", "alice").has_value());
  REQUIRE(contacts.set_attributes(a, {{"tier", "silver"}}, "alice").has_value());

  store::ImportRow by_id{2, a, "", "", std::vector<std::string>{"vip", "new"}, {{"tier", "gold"}}, ""};
  store::ImportRow by_platform{3, {}, "wb", "777", std::vector<std::string>{"vip"}, {{"tier", ""}}, ""};
  store::ImportRow missing{4, 999, "", "", std::vector<std::string>{}, {}, ""};
  store::ImportRow disagree{5, a, "wb", "777", std::nullopt, {}, ""};
  store::ImportRow unreadable{6, {}, "", "", std::nullopt, {}, "bad tag ';'"};
  auto audits = [&] { return f.count("SELECT count(*) FROM audit_log"); };
  auto before = audits();

  SECTION("a bad row: nothing changes, every bad line is reported")
  {
    auto report = contacts.import({by_id, by_platform, missing, disagree, unreadable}, false, "alice");
    REQUIRE(report.has_value());
    CHECK_FALSE(report->applied);
    std::vector<int> lines;
    for (const auto& bad : report->bad)
      lines.push_back(bad.line);
    CHECK(lines == std::vector<int>{4, 5, 6});
    CHECK(report->bad[0].reason == "no contact #999");
    CHECK(contacts.get(a)->tags == std::vector<std::string>{"old"});
    CHECK(contacts.get(a)->attributes.at("tier") == "silver");
    CHECK(contacts.get(b)->tags.empty());
    CHECK(audits() == before);
  }
  SECTION("skip_bad applies the good rows")
  {
    auto report = contacts.import({by_id, by_platform, missing}, true, "alice");
    REQUIRE(report.has_value());
    CHECK(report->applied);
    CHECK(report->changed == 2);
    CHECK(report->bad.size() == 1);
    CHECK(contacts.get(a)->tags == std::vector<std::string>{"new", "vip"}); // the file's set: "old" removed
    CHECK(contacts.get(a)->attributes.at("tier") == "gold");
    CHECK(contacts.get(b)->tags == std::vector<std::string>{"vip"});
    CHECK(f.count("SELECT count(*) FROM contact_tags WHERE source = 'import'") == 3);
    CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'imported' AND agent = 'alice'") == 2);

    // The same file again changes nothing.
    auto again = contacts.import({by_id, by_platform}, false, "alice");
    REQUIRE(again.has_value());
    CHECK(again->applied);
    CHECK(again->changed == 0);
    CHECK(again->unchanged == 2);
  }
}

}  // namespace contacts_test_repository
