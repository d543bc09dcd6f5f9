// The contact CSV: the reader (quotes, line ends, BOM, line numbers), the export's columns, and the
// import's header and row checks.
#include <catch2/catch.hpp>

#include <svc/contacts/csv.hpp>
#include <svc/contacts/names.hpp>

namespace contacts_test_csv {

using namespace svc;
using namespace svc::contacts;

TEST_CASE("contacts::read_csv", "[contacts]")
{
  SECTION("quoted fields with commas, quotes and line breaks; CRLF and LF; BOM; blank lines")
  {
    auto records = read_csv("\xEF\xBB\xBFid,name\r\n1,\"Lin, \"\"W\"\"\"\r\n\n2,\"two\nlines\"\n3,\n");
    REQUIRE(records.has_value());
    REQUIRE(records->size() == 4);
    CHECK((*records)[0].fields == std::vector<std::string>{"id", "name"});
    CHECK((*records)[1].fields == std::vector<std::string>{"1", "Lin, \"W\""});
    CHECK((*records)[2].line == 4);
    CHECK((*records)[2].fields == std::vector<std::string>{"2", "two\nlines"});
    CHECK((*records)[3].line == 6); // after the two-line record
    CHECK((*records)[3].fields == std::vector<std::string>{"3", ""});
  }
  SECTION("no final line end")
  {
    auto records = read_csv("a,b\n1,2");
    REQUIRE(records.has_value());
    CHECK(records->back().fields == std::vector<std::string>{"1", "2"});
  }
  SECTION("malformed quotes name their line")
  {
    auto open = read_csv("a\n\"never closed\n");
    REQUIRE_FALSE(open.has_value());
    CHECK(open.error().message == "line 2: a quoted field is never closed");
    auto after = read_csv("a,b\n1,2\n\"x\"y,3\n");
    REQUIRE_FALSE(after.has_value());
    CHECK(after.error().message == "line 3: text after a closing quote");
  }
}

TEST_CASE("contacts::export_csv and parse_import round trip", "[contacts]")
{
  store::ContactRow a;
  a.id = 7;
  a.account = "tg";
  a.platform_user_id = "42";
  a.name = "Lin, \"W\"";
  a.tags = {"vip", "返单"};
  a.attributes = {{"city", "Shanghai\nPudong"}};
  store::ContactRow b;
  b.id = 3;
  b.account = "wb";
  b.platform_user_id = "777";
  b.attributes = {{"tier", "gold"}};

  std::string csv = export_csv({a, b}, false);
  CHECK(csv.rfind("id,account,platform_user_id,name,tags,attr.city,attr.tier\r\n3,wb,777,,,,gold\r\n", 0) == 0);
  CHECK(export_csv({a}, true).rfind("\xEF\xBB\xBFid,", 0) == 0);

  auto rows = parse_import(csv);
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == 2);
  const auto& r = (*rows)[1];
  CHECK(r.error.empty());
  CHECK(r.line == 3);
  CHECK(r.id == 7);
  CHECK(r.account == "tg");
  CHECK(r.platform_user_id == "42");
  CHECK(r.tags == std::vector<std::string>{"vip", "返单"});
  CHECK(r.attributes == std::map<std::string, std::string>{{"city", "Shanghai\nPudong"}, {"tier", ""}});
}

TEST_CASE("contacts::parse_import checks the header and each row", "[contacts]")
{
  SECTION("bad headers are errors naming line 1")
  {
    CHECK(parse_import("").error().message == "the file is empty");
    CHECK(parse_import("name,tags\n").error().message == "line 1: no column names the contact");
    CHECK(parse_import("id,colour\n").error().message == "line 1: unknown column 'colour'");
    CHECK(parse_import("id,id\n").error().message == "line 1: column 'id' appears twice");
    CHECK(parse_import("id,attr.a b\n").error().kind == ErrorKind::usage);
  }
  SECTION("bad rows carry their error and line; the others parse")
  {
    auto rows = parse_import("id,account,platform_user_id,tags\n"
                             "1,,,vip; gold\n"
                             "x,,,\n"
                             ",tg,,\n"
                             "2,,,\"a,b\"\n"
                             "3,,\n"
                             ",tg,42,\n");
    REQUIRE(rows.has_value());
    REQUIRE(rows->size() == 6);
    CHECK((*rows)[0].error.empty());
    CHECK((*rows)[0].tags == std::vector<std::string>{"vip", "gold"});
    CHECK((*rows)[1].error == "id 'x' is not a contact id");
    CHECK((*rows)[2].error == "names no contact: give its id, or its account and platform_user_id");
    CHECK((*rows)[3].error.find("bad tag 'a,b'") == 0);
    CHECK((*rows)[4].error == "3 fields where the header has 4");
    CHECK((*rows)[4].line == 6);
    CHECK((*rows)[5].error.empty());
    CHECK((*rows)[5].account == "tg");
    CHECK_FALSE((*rows)[5].id.has_value());
    CHECK((*rows)[5].tags == std::vector<std::string>{}); // an empty tags cell: no tags at all
  }
  SECTION("without a tags column, tags are left alone")
  {
    auto rows = parse_import("id,attr.tier\n1,gold\n");
    REQUIRE(rows.has_value());
    CHECK_FALSE(rows->front().tags.has_value());
  }
}

TEST_CASE("contacts::check_tag and parse_assignments", "[contacts]")
{
  CHECK(check_tag("VIP客户"));
  CHECK(check_tag("needs follow-up"));
  CHECK_FALSE(check_tag(""));
  CHECK_FALSE(check_tag("a;b"));
  CHECK_FALSE(check_tag(" padded"));
  CHECK_FALSE(check_tag("tab\there"));
  CHECK(check_tag(std::string(30, 'x')));
  CHECK_FALSE(check_tag(std::string(31, 'x')));
  CHECK(check_tag("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十")); // 30 characters, 90 bytes

  auto ok = parse_assignments({"city=Shanghai", "note=a=b", "tier="});
  REQUIRE(ok.has_value());
  CHECK(*ok == std::map<std::string, std::string>{{"city", "Shanghai"}, {"note", "a=b"}, {"tier", ""}});
  CHECK(parse_assignments({"novalue"}).error().kind == ErrorKind::usage);
  CHECK(parse_assignments({"bad key=1"}).error().kind == ErrorKind::usage);
}

}  // namespace contacts_test_csv
