// The encoders of the export formats, each read back by an independent reader (nlohmann for JSON,
// pugixml for the HTML text, the test's own CSV reader and Markdown unescaper).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <svc/history/export_text.hpp>

#include "unit/history/test_export_fixture.hpp"

namespace history_test_export_text {

using namespace svc;
using namespace svc::history;
using namespace std::string_literals;
using svc::test::k_hostile;

namespace {

const std::vector<std::string> k_valid = {
  "",
  "plain",
  k_hostile,
  "tab\there, nul \0 and bell \a"s,
  "quotes \" and backslash \\ and slash /",
  "emoji 😀, CJK 你好, accents é, U+2028 \xE2\x80\xA8 U+10FFFF \xF4\x8F\xBF\xBF",
  "\x01\x1f\x7f",
};

// Invalid UTF-8: each becomes U+FFFD, never raw bytes.
const std::vector<std::pair<std::string, std::string>> k_invalid = {
  {"a\xFFz", "a\xEF\xBF\xBDz"},
  {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},      // overlong '/'
  {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, // a surrogate
  {"cut \xE4\xBD", "cut \xEF\xBF\xBD\xEF\xBF\xBD"},  // a truncated 你
  {"\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, // above U+10FFFF
};

std::string
unescape_markdown(const std::string& s)
{
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1])))
      ++i;
    out += s[i];
  }
  return out;
}

} // namespace

TEST_CASE("history::append_json_string", "[history][export]")
{
  SECTION("valid text reads back unchanged")
  {
    for (const auto& s : k_valid) {
      std::string out;
      append_json_string(out, s);
      INFO(out);
      CHECK(nlohmann::json::parse(out).get<std::string>() == s);
      CHECK(out.find('\n') == std::string::npos); // one line per object in jsonl
    }
  }
  SECTION("invalid UTF-8 is replaced, and the result is valid JSON")
  {
    for (const auto& [in, want] : k_invalid) {
      std::string out;
      append_json_string(out, in);
      CHECK(nlohmann::json::parse(out).get<std::string>() == want);
    }
  }
}

TEST_CASE("history::append_csv", "[history][export]")
{
  std::string doc;
  for (const auto& s : k_valid) {
    append_csv(doc, s);
    doc += ",x\r\n";
  }
  auto records = test::read_csv(doc);
  REQUIRE(records.size() == k_valid.size());
  for (std::size_t i = 0; i < k_valid.size(); ++i) {
    CHECK(records[i] == std::vector<std::string>{k_valid[i], "x"});
  }
  std::string bad;
  append_csv(bad, "a\xFF,b");
  CHECK(bad == "\"a\xEF\xBF\xBD,b\"");
}

TEST_CASE("history::append_html", "[history][export]")
{
  SECTION("hostile text is inert and reads back unchanged")
  {
    std::string out;
    append_html(out, k_hostile);
    CHECK(out.find('<') == std::string::npos);
    CHECK(out.find('>') == std::string::npos);
    CHECK(out.find('"') == std::string::npos);
    CHECK(out.find('\'') == std::string::npos);
    CHECK(out.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;") != std::string::npos);
    // As an attribute value and as content, parsed by an XML parser.
    std::string doc = "<p title=\"" + out + "\">" + out + "</p>";
    pugi::xml_document xml;
    REQUIRE(xml.load_string(doc.c_str(), pugi::parse_default & ~pugi::parse_eol));
    CHECK(std::string(xml.child("p").attribute("title").value()).find("<script>alert(\"x\")") == 0);
    CHECK(std::string(xml.child("p").text().get()) == k_hostile);
  }
  SECTION("control characters other than tab and line breaks are replaced")
  {
    std::string out;
    append_html(out, "a\x01z\x7f\t\n");
    CHECK(out == "a\xEF\xBF\xBDz\xEF\xBF\xBD\t\n");
  }
}

TEST_CASE("history::append_markdown", "[history][export]")
{
  std::string out;
  append_markdown(out, k_hostile);
  for (std::size_t i = 0; i < out.size(); ++i) // no raw HTML for a renderer to pass through
    if (out[i] == '<' || out[i] == '>' || out[i] == '&')
      CHECK((i > 0 && out[i - 1] == '\\'));
  CHECK(out.find("\\<script\\>") != std::string::npos);
  CHECK(out.find("\\*bold\\*") != std::string::npos);
  CHECK(unescape_markdown(out) == k_hostile);
}

}  // namespace history_test_export_text
