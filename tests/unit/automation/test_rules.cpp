// automation::parse_rules and matching_rules: the rules file read with line numbers, and which rules fire
// on fixture messages (pure: no store).
#include <catch2/catch.hpp>

#include <svc/automation/rules.hpp>
#include <svc/core/time.hpp>

namespace automation_test_rules {

using namespace svc;
using namespace svc::automation;

namespace {

RuleSet
parse_ok(const std::string& text)
{
  auto parsed = parse_rules(text, "rules.toml");
  INFO(text);
  for (const auto& p : parsed.problems)
    INFO(format_problem("rules.toml", p));
  REQUIRE(parsed.problems.empty());
  return parsed.rules;
}

// The first problem, as `svc rules check` prints it.
std::string
first_problem(const std::string& text)
{
  auto parsed = parse_rules(text, "rules.toml");
  REQUIRE_FALSE(parsed.problems.empty());
  return format_problem("rules.toml", parsed.problems.front());
}

std::vector<std::string>
fired(const RuleSet& set, const store::RuleMessage& m, UnixTime at = unix_from_civil(2026, 11, 23, 3, 0, 0))
{
  std::vector<std::string> names;
  for (const auto* r : matching_rules(set, m, at))
    names.push_back(r->name);
  return names;
}

store::RuleMessage
message(const std::string& text, const std::string& channel = "dm")
{
  store::RuleMessage m;
  m.text = text;
  m.channel = channel;
  m.account = "wb";
  m.contact_id = 1;
  return m;
}

const char* k_rules = R"TOML(
[hours]
zone = "+08:00"
open = "09:00"
close = "18:00"
days = ["mon", "tue", "wed", "thu", "fri"]

[[rule]]
name = "spam"
when = { regex = "https?://[a-z]+\\.(xyz|top)" }
then = { spam = true }

[[rule]]
name = "refund"
[rule.when]
channel = ["dm", "comment"]
keywords = ["Refund", "退款"]
not_tags = ["refunded"]
[rule.then]
tag = ["refund"]
route = "billing"
priority = 3

[[rule]]
name = "vip"
when = { tags = ["vip"] }
then = { priority = 9 }
stop = true

[[rule]]
name = "welcome"
when = { first_contact = true, channel = "dm" }
then = { reply = "welcome" }

[[rule]]
name = "after-hours"
when = { time = "off_hours" }
then = { reply = "closed", notify = ["notify-send", "after hours"] }
)TOML";

} // namespace

TEST_CASE("automation::matching_rules on fixture messages", "[automation][rules]")
{
  RuleSet set = parse_ok(k_rules);
  REQUIRE(set.rules.size() == 5);
  // 2026-11-23 is a Monday: 03:00Z is 11:00 at +08:00 (open), 12:00Z is 20:00 (closed).
  UnixTime open = unix_from_civil(2026, 11, 23, 3, 0, 0);
  UnixTime closed = unix_from_civil(2026, 11, 23, 12, 0, 0);
  UnixTime saturday = unix_from_civil(2026, 11, 28, 3, 0, 0);

  SECTION("keywords: any of, ASCII case folded, CJK as is; channel any of")
  {
    CHECK(fired(set, message("I want a REFUND")) == std::vector<std::string>{"refund"});
    CHECK(fired(set, message("我要退款！")) == std::vector<std::string>{"refund"});
    CHECK(fired(set, message("refund please", "comment")) == std::vector<std::string>{"refund"});
    CHECK(fired(set, message("refund please", "mention")).empty());
    CHECK(fired(set, message("hello")).empty());
  }
  SECTION("tags: not_tags excludes, tags requires, stop ends evaluation")
  {
    auto m = message("refund");
    m.contact_tags = {"refunded"};
    CHECK(fired(set, m).empty());
    m.contact_tags = {"vip"};
    m.first_contact = true; // welcome would fire, but vip stops before it
    CHECK(fired(set, m) == std::vector<std::string>{"refund", "vip"});
  }
  SECTION("first contact, on dm only")
  {
    auto m = message("hi");
    m.first_contact = true;
    CHECK(fired(set, m) == std::vector<std::string>{"welcome"});
    m.channel = "comment";
    CHECK(fired(set, m).empty());
  }
  SECTION("time windows in the file's zone and days")
  {
    CHECK(fired(set, message("hi"), open).empty());
    CHECK(fired(set, message("hi"), closed) == std::vector<std::string>{"after-hours"});
    CHECK(fired(set, message("hi"), saturday) == std::vector<std::string>{"after-hours"});
  }
  SECTION("regex: spam stops the rest")
  {
    CHECK(fired(set, message("refund at http://cheap.xyz now"), closed) == std::vector<std::string>{"spam"});
    CHECK(fired(set, message("refund at http://cheap.com now"), open) == std::vector<std::string>{"refund"});
  }
  SECTION("a regex sees at most k_regex_text_limit bytes of a long message")
  {
    std::string long_text(k_regex_text_limit + 100, 'a');
    CHECK(fired(set, message(long_text + " http://x.xyz")).empty());
    CHECK(fired(set, message("http://x.xyz " + long_text)) == std::vector<std::string>{"spam"});
  }
  SECTION("accounts")
  {
    auto only = parse_ok("[[rule]]\nname = \"a\"\nwhen = { account = [\"wx\", \"tg\"] }\nthen = { ignore = true }\n");
    CHECK(fired(only, message("x")).empty());
    auto m = message("x");
    m.account = "tg";
    CHECK(fired(only, m) == std::vector<std::string>{"a"});
  }
}

TEST_CASE("automation::in_business_hours", "[automation][rules]")
{
  BusinessHours h;
  SECTION("an IANA zone from the tz database, with its daylight saving time")
  {
    REQUIRE(known_zone("America/New_York"));
    h.zone = "America/New_York";
    // 13:30 UTC is 09:30 EDT in July (open), 08:30 EST in January (closed); both Wednesdays.
    CHECK(in_business_hours(h, unix_from_civil(2026, 7, 15, 13, 30, 0)));
    CHECK_FALSE(in_business_hours(h, unix_from_civil(2026, 1, 14, 13, 30, 0)));
    CHECK(local_time(h, unix_from_civil(2026, 1, 14, 13, 30, 0)).minute_of_day == 8 * 60 + 30);
  }
  SECTION("a fixed offset; the day is the local day")
  {
    h.offset_minutes = 8 * 60;
    // Friday 20:00 UTC is Saturday 04:00 at +08:00.
    auto t = unix_from_civil(2026, 11, 27, 20, 0, 0);
    CHECK(local_time(h, t).weekday == 6);
    CHECK_FALSE(in_business_hours(h, t));
  }
  SECTION("overnight hours")
  {
    h.offset_minutes = 0;
    h.open_minute = 22 * 60;
    h.close_minute = 6 * 60;
    CHECK(in_business_hours(h, unix_from_civil(2026, 11, 23, 23, 0, 0)));
    CHECK(in_business_hours(h, unix_from_civil(2026, 11, 24, 5, 59, 0)));
    CHECK_FALSE(in_business_hours(h, unix_from_civil(2026, 11, 24, 6, 0, 0)));
  }
  SECTION("offsets and zone names")
  {
    CHECK(parse_utc_offset("+05:30") == 330);
    CHECK(parse_utc_offset("-03:00") == -180);
    CHECK(parse_utc_offset("UTC") == 0);
    CHECK_FALSE(parse_utc_offset("+5:30"));
    CHECK_FALSE(parse_utc_offset("+15:00"));
    CHECK_FALSE(known_zone("Mars/Olympus"));
    CHECK_FALSE(known_zone("../../etc/passwd"));
    CHECK_FALSE(known_zone("/usr/share/zoneinfo/UTC"));
  }
}

TEST_CASE("automation::parse_rules problems with line numbers", "[automation][rules]")
{
  SECTION("syntax errors at toml++'s position")
  {
    CHECK(first_problem("[[rule]]\nname = \"a\"\nthen = { tag = \"x\" \n").rfind("rules.toml:3: ", 0) == 0);
    CHECK(first_problem("\n\n[[rule]\n").rfind("rules.toml:3: ", 0) == 0);
  }
  SECTION("unknown keys at their own line, each level")
  {
    CHECK(first_problem("colour = 1\n") == "rules.toml:1: unknown key 'colour' in the file (known: hours, settings, rule)");
    CHECK(first_problem("[[rule]]\nname = \"a\"\nthen = { ignore = true }\n\nwhen = { keyword = \"x\" }\n")
            .rfind("rules.toml:5: unknown key 'keyword' in [rule.when]", 0) == 0);
    CHECK(first_problem("[[rule]]\nname = \"a\"\n[rule.then]\nignore = true\nsend = \"x\"\n")
            .rfind("rules.toml:5: unknown key 'send' in [rule.then]", 0) == 0);
  }
  SECTION("bad values")
  {
    CHECK(first_problem("[[rule]]\nname = \"a\"\nwhen = { regex = \"(x\" }\nthen = { ignore = true }\n")
            .rfind("rules.toml:3: bad regex '(x'", 0) == 0);
    CHECK(first_problem("[[rule]]\nname = \"a\"\nwhen = { regex = \"(a)\\\\22222222222222222222\" }\nthen = { ignore = true }\n")
          == "rules.toml:3: bad regex '(a)\\22222222222222222222': back-reference \\22222222222222222222 is too large");
    CHECK(first_problem("[[rule]]\nname = \"a\"\nwhen = { regex = \"" + std::string(k_max_regex + 1, 'a')
                        + "\" }\nthen = { ignore = true }\n")
            .rfind("rules.toml:3: 'regex' must be 1 to", 0) == 0);
    CHECK(first_problem("[[rule]]\nname = \"a\"\nwhen = { channel = \"sms\" }\nthen = { ignore = true }\n")
          == "rules.toml:3: unknown channel 'sms' (dm, comment, mention)");
    CHECK(first_problem("[[rule]]\nname = \"a\"\nwhen = { time = \"lunch\" }\nthen = { ignore = true }\n")
            .rfind("rules.toml:3: 'time' must be", 0) == 0);
    CHECK(first_problem("[[rule]]\nname = \"a\"\nthen = { priority = \"high\" }\n").rfind("rules.toml:3: 'priority'", 0)
          == 0);
    CHECK(first_problem("[[rule]]\nname = \"a\"\nthen = { notify = \"mail x\" }\n")
            .rfind("rules.toml:3: 'notify' must be a list", 0) == 0);
    CHECK(first_problem("[[rule]]\nname = \"a\"\nthen = { tag = \"a,b\" }\n").rfind("rules.toml:3: bad tag 'a,b'", 0)
          == 0);
    CHECK(first_problem("[hours]\nzone = \"Mars/Olympus\"\n") == "rules.toml:2: unknown time zone 'Mars/Olympus'");
    CHECK(first_problem("[hours]\nopen = \"9am\"\n") == "rules.toml:2: 'open' must be a time HH:MM, not '9am'");
    CHECK(first_problem("[hours]\ndays = [\"mon\", \"funday\"]\n").rfind("rules.toml:2: unknown day 'funday'", 0) == 0);
  }
  SECTION("rules need a unique name and an action")
  {
    CHECK(first_problem("\n[[rule]]\nwhen = { channel = \"dm\" }\nthen = { ignore = true }\n")
          == "rules.toml:2: a rule without a name (add name = \"...\")");
    CHECK(first_problem("[[rule]]\nname = \"a\"\nwhen = { channel = \"dm\" }\n")
          == "rules.toml:1: rule 'a' has no actions (add a [rule.then] table)");
    CHECK(first_problem("[[rule]]\nname = \"a\"\nthen = { ignore = true }\n[[rule]]\nname = \"a\"\nthen = { ignore = "
                        "true }\n")
          == "rules.toml:5: a second rule named 'a'");
    CHECK(first_problem("rule = 1\n") == "rules.toml:1: 'rule' must be an array of tables: write each rule as [[rule]]");
  }
  SECTION("every problem is reported, in line order")
  {
    auto parsed = parse_rules("[[rule]]\nname = \"a\"\ncolour = 1\nwhen = { channel = \"sms\" }\nthen = { spam = 1, ignore = true }\n",
                              "rules.toml");
    REQUIRE(parsed.problems.size() == 3);
    CHECK(parsed.problems[0].line == 3);
    CHECK(parsed.problems[1].line == 4);
    CHECK(parsed.problems[2].line == 5);
  }
  SECTION("an empty file is a valid file with no rules")
  {
    CHECK(parse_ok("# nothing yet\n").rules.empty());
  }
}

}  // namespace automation_test_rules
