// Templates: the syntax ({NAME}, {{ and }}), the values of the built-in variables, and the errors that
// name the variable and the template.
#include <catch2/catch.hpp>

#include <svc/inbox/template_render.hpp>

namespace inbox_test_template_render {

using namespace svc;
using namespace svc::inbox;

namespace {

TemplateContact
xiaoyu()
{
  return TemplateContact{42, "小雨点", {{"tier", "gold"}, {"name", "attribute name"}, {"city", "成都"}}};
}

std::string
render_ok(std::string_view text, const TemplateValues& values)
{
  auto r = render_template("t", text, values);
  INFO(text << " -> " << (r ? *r : r.error().message));
  REQUIRE(r.has_value());
  return *r;
}

} // namespace

TEST_CASE("inbox::render_template", "[inbox][template]")
{
  auto values = template_values(xiaoyu(), "alice", "wx", {{"order", "A-1234"}});

  SECTION("built-in variables, attributes and --var values")
  {
    CHECK(render_ok("您好 {contact.name}，我是 {agent}（{account}）", values) == "您好 小雨点，我是 alice（wx）");
    CHECK(render_ok("#{contact.id} {contact.tier} {contact.city} {order}", values) == "#42 gold 成都 A-1234");
    CHECK(render_ok("{order}{order}", values) == "A-1234A-1234");
    CHECK(render_ok("no variables at all", values) == "no variables at all");
  }

  SECTION("doubled braces are literal braces")
  {
    CHECK(render_ok("{{contact.name}} is {contact.name}", values) == "{contact.name} is 小雨点");
    CHECK(render_ok("a }} b {{{order}}}", values) == "a } b {A-1234}");
  }

  SECTION("the contact's own name wins over an attribute `name`, which stands in when there is none")
  {
    CHECK(render_ok("{contact.name}", values) == "小雨点");
    auto nameless = xiaoyu();
    nameless.name.clear();
    CHECK(render_ok("{contact.name}", template_values(nameless, "", "wx", {})) == "attribute name");
    nameless.attributes.erase("name");
    auto r = render_template("greet", "Hi {contact.name}", template_values(nameless, "", "wx", {}));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(r.error().message == "template 'greet': unknown variable {contact.name}");
  }

  SECTION("an unknown variable is a usage error naming it and the template, with where it comes from")
  {
    auto r = render_template("promo", "Hi {contact.name}, use {coupon}", values);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(r.error().message == "template 'promo': unknown variable {coupon}");
    CHECK(r.error().hint.find("--var coupon=VALUE") != std::string::npos);

    auto attr = render_template("promo", "{contact.vip_level}", values);
    REQUIRE_FALSE(attr.has_value());
    CHECK(attr.error().message == "template 'promo': unknown variable {contact.vip_level}");
    CHECK(attr.error().hint.find("svc contact set CONTACT vip_level=VALUE") != std::string::npos);

    auto no_agent = render_template("promo", "{agent}", template_values(xiaoyu(), "", "wx", {}));
    REQUIRE_FALSE(no_agent.has_value());
    CHECK(no_agent.error().message == "template 'promo': unknown variable {agent}");
    CHECK(no_agent.error().hint.find("--as") != std::string::npos);
  }
}

TEST_CASE("inbox::parse_template", "[inbox][template]")
{
  SECTION("parts and variables in order of first use")
  {
    auto parts = parse_template("t", "Hi {contact.name}, {agent} and {contact.name} again {{x}}");
    REQUIRE(parts.has_value());
    CHECK(template_variables(*parts) == std::vector<std::string>{"contact.name", "agent"});
    REQUIRE(parts->size() == 7);
    CHECK_FALSE((*parts)[0].variable);
    CHECK((*parts)[0].text == "Hi ");
    CHECK((*parts)[1].variable);
    CHECK((*parts)[1].text == "contact.name");
    CHECK((*parts)[6].text == " again {x}");
  }

  SECTION("bad syntax is a usage error naming the template and the position")
  {
    using Row = std::tuple<std::string, std::string>;
    auto [text, what] = GENERATE(table<std::string, std::string>({
      Row{"Hi {contact.name", "unclosed '{' at character 4"},
      Row{"Hi }", "unmatched '}' at character 4"},
      Row{"Hi {}", "empty variable {} at character 4"},
      Row{"Hi {contact name}", "bad variable name 'contact name' at character 4"},
      Row{"{contact}", "names no field"},
      Row{"{contact.}", "names no field"},
      Row{"{a{b}", "bad variable name 'a{b'"},
    }));
    auto r = parse_template("greet", text);
    INFO(text);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(r.error().message.rfind("template 'greet': ", 0) == 0);
    CHECK(r.error().message.find(what) != std::string::npos);
    CHECK_FALSE(r.error().hint.empty());
  }

  SECTION("a contact variable is one under contact.")
  {
    CHECK(is_contact_variable("contact.name"));
    CHECK(is_contact_variable("contact.tier"));
    CHECK_FALSE(is_contact_variable("agent"));
    CHECK_FALSE(is_contact_variable("contacts"));
  }
}

TEST_CASE("inbox::parse_template_vars", "[inbox][template]")
{
  SECTION("KEY=VALUE pairs; the value may hold '=' and be empty")
  {
    auto vars = parse_template_vars({"order=A=1", "empty=", "城市=成都"});
    REQUIRE(vars.has_value());
    CHECK(*vars == TemplateValues{{"order", "A=1"}, {"empty", ""}, {"城市", "成都"}});
  }

  SECTION("bad pairs are usage errors")
  {
    auto pair = GENERATE(as<std::string>{}, "novalue", "=x", "a b=1", "agent=me", "account=wb", "contact.name=x",
                         "contact=x");
    INFO(pair);
    auto r = parse_template_vars({pair});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
  }

  SECTION("a key given twice is refused")
  {
    auto r = parse_template_vars({"a=1", "a=2"});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "--var a is given twice");
  }

  SECTION("missing_variables lists what the values lack")
  {
    auto parts = parse_template("t", "{contact.name} {agent} {order} {contact.tier}");
    REQUIRE(parts.has_value());
    auto nameless = xiaoyu();
    nameless.name.clear();
    nameless.attributes.clear();
    CHECK(missing_variables(*parts, template_values(nameless, "", "wx", {}))
          == std::vector<std::string>{"contact.name", "agent", "order", "contact.tier"});
    CHECK(missing_variables(*parts, template_values(xiaoyu(), "bob", "wx", {{"order", "1"}})).empty());
  }
}

}  // namespace inbox_test_template_render
