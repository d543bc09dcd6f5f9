// What a search query means, without an index: terms, word boundaries for Latin text, substrings for
// CJK, and snippets.
#include <catch2/catch.hpp>

#include <svc/history/search_query.hpp>

namespace history_test_search_query {

using namespace svc;
using namespace svc::history;

namespace {

Query
q(const std::string& text)
{
  auto parsed = parse_query(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

} // namespace

TEST_CASE("history::parse_query", "[history][search]")
{
  SECTION("terms split on ASCII and ideographic spaces; quotes keep a phrase")
  {
    auto query = q("退款　refund \"big box\"  发货");
    REQUIRE(query.terms.size() == 4);
    CHECK(query.texts() == std::vector<std::string>{"退款", "refund", "big box", "发货"});
  }
  SECTION("FTS5 syntax is text: OR, NOT, -, ^, : and parentheses are terms")
  {
    auto query = q("a OR -b NOT ^c col:d (e)");
    CHECK(query.texts() == std::vector<std::string>{"a", "OR", "-b", "NOT", "^c", "col:d", "(e)"});
  }
  SECTION("a trailing * after a letter makes a word prefix; elsewhere it is text")
  {
    auto query = q("ship* * 发* \"box*\"");
    REQUIRE(query.terms.size() == 4);
    CHECK(query.terms[0].text == "ship");
    CHECK(query.terms[0].word_start);
    CHECK_FALSE(query.terms[0].word_end);
    CHECK(query.terms[1].text == "*");
    CHECK(query.terms[2].text == "发*"); // not after a word character
    CHECK(query.terms[3].text == "box*"); // quoted: literal
  }
  SECTION("an unclosed quote runs to the end")
  {
    CHECK(q("\"hello wor").texts() == std::vector<std::string>{"hello wor"});
  }
  SECTION("no term at all is a usage error")
  {
    for (const char* empty : {"", "   ", "\"\"", "\"", "\xE3\x80\x80"}) {
      auto parsed = parse_query(empty);
      REQUIRE_FALSE(parsed.has_value());
      CHECK(parsed.error().kind == ErrorKind::usage);
    }
  }
}

TEST_CASE("history::matches_all", "[history][search]")
{
  SECTION("CJK: any substring, one character included")
  {
    CHECK(matches_all("请问什么时候发货？", q("发货")));
    CHECK(matches_all("请问什么时候发货？", q("货")));
    CHECK(matches_all("请问什么时候发货？", q("什么时候")));
    CHECK_FALSE(matches_all("请问什么时候发货？", q("退款")));
  }
  SECTION("Latin: whole words, case-insensitive")
  {
    CHECK(matches_all("Do you ship to Singapore?", q("ship")));
    CHECK(matches_all("Do you ship to Singapore?", q("SINGAPORE")));
    CHECK_FALSE(matches_all("Free shipping today", q("ship")));
    CHECK(matches_all("Free shipping today", q("ship*")));
    CHECK_FALSE(matches_all("relationship", q("ship*")));
    CHECK_FALSE(matches_all("Do you ship", q("ou")));
  }
  SECTION("a Latin word next to CJK text stands alone")
  {
    CHECK(matches_all("买了iPhone，屏幕坏了", q("iphone")));
    CHECK_FALSE(matches_all("买了iPhone15", q("iphone"))); // 15 continues the word
    CHECK(matches_all("买了iPhone15", q("iphone*")));
  }
  SECTION("every term must match")
  {
    CHECK(matches_all("退款 refund please", q("退款 refund")));
    CHECK_FALSE(matches_all("退款 please", q("退款 refund")));
  }
  SECTION("punctuation in a term is matched literally")
  {
    CHECK(matches_all("price: 5-10 yuan", q("5-10")));
    CHECK(matches_all("say \"hi\"", q("\"\"\"hi\"\"\"")) == matches_all("say \"hi\"", q("hi")));
  }
}

TEST_CASE("history::snippet", "[history][search]")
{
  SECTION("the matches are the hit segments")
  {
    auto s = snippet("请问什么时候发货？谢谢", q("发货"));
    CHECK(render_snippet(s, "[", "]") == "请问什么时候[发货]？谢谢");
  }
  SECTION("a long text is cut around the first match, on characters")
  {
    std::string text;
    for (int i = 0; i < 50; ++i)
      text += "很";
    text += "发货慢";
    for (int i = 0; i < 50; ++i)
      text += "好";
    auto out = render_snippet(snippet(text, q("发货"), 20), "[", "]");
    CHECK(out.rfind("…", 0) == 0);
    CHECK(out.find("[发货]") != std::string::npos);
    REQUIRE(out.size() >= 6);
    CHECK(out.substr(out.size() - 3) == "…");
    // 20 characters of text plus the two ellipses.
    std::size_t chars = 0;
    for (unsigned char c : render_snippet(snippet(text, q("发货"), 20), "", ""))
      chars += (c & 0xC0) != 0x80;
    CHECK(chars == 22);
  }
  SECTION("line breaks become spaces; no match shows the start")
  {
    CHECK(render_snippet(snippet("line one\nline two", q("zzz")), "[", "]") == "line one line two");
  }
}

}  // namespace history_test_search_query
