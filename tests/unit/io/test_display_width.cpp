// Terminal column widths of UTF-8 text and truncation to a width (lib/svc/io/display_width.hpp).
#include <catch2/catch.hpp>

#include <sstream>

#include <svc/io/display_width.hpp>
#include <svc/io/streams.hpp>

namespace io_test_display_width {

using namespace svc::io;

namespace {

// True when `s` is well-formed UTF-8 (so a cut never splits a character).
bool
valid_utf8(const std::string& s)
{
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size())
      return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
        return false;
    i += len;
  }
  return true;
}

} // namespace

TEST_CASE("io::display_width", "[io]")
{
  CHECK(display_width("") == 0);
  CHECK(display_width("a") == 1);
  CHECK(display_width("hello") == 5);
  CHECK(display_width("中文") == 4);
  CHECK(display_width("中文abc") == 7);
  CHECK(display_width("한국어") == 6);         // Hangul syllables
  CHECK(display_width("カタカナ") == 8);       // Katakana
  CHECK(display_width("ＡＢ") == 4);           // fullwidth Latin
  CHECK(display_width("😀") == 2);             // emoji (4-byte UTF-8)
  CHECK(display_width("👍x") == 3);
  CHECK(display_width("é") == 1);              // precomposed U+00E9, two bytes, one column
  CHECK(display_width("e\xcc\x81") == 1);      // e + combining acute: no extra column
  CHECK(display_width("a\xe2\x80\x8d" "b") == 2); // zero-width joiner
  CHECK(display_width("…") == 1);
  SECTION("invalid bytes count one column each and never read past the end")
  {
    CHECK(display_width("\xff") == 1);
    CHECK(display_width("ab\xe4") == 3);       // a truncated 3-byte sequence at the end
    CHECK(display_width("\xf0\x9f") == 2);
  }
}

TEST_CASE("io::truncate_to_width", "[io]")
{
  SECTION("text that fits is unchanged")
  {
    CHECK(truncate_to_width("hello", 5) == "hello");
    CHECK(truncate_to_width("hello", 10) == "hello");
    CHECK(truncate_to_width("中文", 4) == "中文");
    CHECK(truncate_to_width("", 0) == "");
  }
  SECTION("cut text ends with an ellipsis within the width")
  {
    CHECK(truncate_to_width("hello", 3) == "he…");
    CHECK(truncate_to_width("hello", 1) == "…");
    CHECK(truncate_to_width("hello", 0) == "");
    CHECK(truncate_to_width("中文字", 5) == "中文…");
    CHECK(truncate_to_width("中文字", 4) == "中…"); // a wide character that would overflow is left out
    CHECK(truncate_to_width("a中b", 2) == "a…");
  }
  SECTION("never wider than asked and never splits a character")
  {
    for (const std::string text : {"中文客服消息回复", "mixed 中文 and 😀 emoji", "plain ascii text here", "ＡＢＣＤ"}) {
      for (std::size_t w = 1; w <= 20; ++w) {
        INFO(text << " at width " << w);
        auto cut = truncate_to_width(text, w);
        CHECK(display_width(cut) <= w);
        CHECK(valid_utf8(cut));
        if (display_width(text) > w) {
          CHECK(cut.size() >= 3);
          CHECK(cut.substr(cut.size() - 3) == "…");
          CHECK(display_width(cut) >= w - 1); // it uses the room it has (a wide char may leave one column)
        } else {
          CHECK(cut == text);
        }
      }
    }
  }
}

TEST_CASE("io::Streams", "[io]")
{
  std::istringstream in;
  std::ostringstream out, err;
  Streams io{in, out, err};
  SECTION("status and warnings go to err")
  {
    io.status("✓ done");
    io.warn("careful");
    CHECK(out.str().empty());
    CHECK(err.str() == "✓ done\nwarning: careful\n");
  }
  SECTION("quiet mutes both")
  {
    io.quiet = true;
    io.status("✓ done");
    io.warn("careful");
    CHECK(err.str().empty());
  }
  SECTION("colour marks the warning")
  {
    io.color = true;
    io.warn("careful");
    CHECK(err.str().find("\033[") != std::string::npos);
    CHECK(err.str().find("careful") != std::string::npos);
  }
}

}  // namespace io_test_display_width
