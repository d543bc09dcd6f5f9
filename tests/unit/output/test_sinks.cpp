// Every output format of a Sink and print_object (lib/svc/output/sink.hpp), parsed back independently:
// JSON and JSON Lines with nlohmann, CSV with a small RFC 4180 reader written here.
#include <catch2/catch.hpp>

#include <sstream>

#include <svc/io/display_width.hpp>
#include <svc/output/sink.hpp>

namespace output_test_sinks {

using namespace svc;
using namespace svc::output;
using nlohmann::json;

namespace {

struct Capture {
  std::istringstream in;
  std::ostringstream out, err;
  io::Streams io{in, out, err};
};

std::string
render(Format format, const std::vector<json>& rows, const std::vector<Column>& columns, Capture& c)
{
  auto sink = make_sink(format, c.io, columns);
  for (const auto& r : rows)
    sink->row(r);
  sink->end();
  return c.out.str();
}

// RFC 4180: records end with CRLF, fields separated by commas, a quoted field may hold commas, CR, LF
// and doubled quotes. Returns nothing (and fails the test) on anything malformed.
std::vector<std::vector<std::string>>
parse_csv(const std::string& text)
{
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  bool field_started = false;
  while (i < text.size()) {
    char c = text[i];
    if (!field_started && c == '"') {
      ++i;
      for (;;) {
        REQUIRE(i < text.size()); // an unterminated quote
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      field_started = true;
      REQUIRE((i == text.size() || text[i] == ',' || text[i] == '\r')); // nothing after a closing quote
      continue;
    }
    if (c == ',') {
      record.push_back(field);
      field.clear();
      field_started = false;
      ++i;
    } else if (c == '\r') {
      REQUIRE(i + 1 < text.size());
      REQUIRE(text[i + 1] == '\n'); // CRLF, never a bare CR
      record.push_back(field);
      records.push_back(record);
      record.clear();
      field.clear();
      field_started = false;
      i += 2;
    } else {
      REQUIRE(c != '\n');  // a bare LF outside quotes
      REQUIRE(c != '"');   // a quote inside an unquoted field
      field += c;
      field_started = true;
      ++i;
    }
  }
  REQUIRE(record.empty()); // the last record ends with CRLF too
  REQUIRE_FALSE(field_started);
  return records;
}

std::vector<std::string>
lines_of(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    out.push_back(line);
  return out;
}

const std::vector<Column> k_columns = {
  {"id", "ID"}, {"name", "NAME"}, {"contact.city", "CITY"}, {"tags", "TAGS"}, {"text", "TEXT"},
};

std::vector<json>
sample_rows()
{
  return {
    {{"id", 1}, {"name", "Alice"}, {"contact", {{"city", "Berlin"}}}, {"tags", {"vip", "new"}}, {"text", "hello"}},
    {{"id", 2}, {"name", "王小明"}, {"contact", {{"city", "北京"}}}, {"tags", json::array()},
     {"text", "comma, \"quoted\"\r\nand a second line\nthird"}},
    {{"id", 3}, {"name", "Bob 😀"}, {"contact", nullptr}, {"tags", {"a"}}, {"text", "退款, 请"}},
  };
}

} // namespace

TEST_CASE("output::parse_format", "[output]")
{
  for (auto f : {Format::table, Format::json, Format::jsonl, Format::csv}) {
    auto back = parse_format(to_string(f));
    REQUIRE(back.has_value());
    CHECK(*back == f);
  }
  CHECK_FALSE(parse_format("xml").has_value());
  CHECK_FALSE(parse_format("JSON").has_value());
  CHECK_FALSE(parse_format("").has_value());
}

TEST_CASE("output::make_sink json", "[output]")
{
  auto rows = sample_rows();
  SECTION("parses back to the same array")
  {
    Capture c;
    auto text = render(Format::json, rows, k_columns, c);
    CHECK(text.back() == '\n');
    auto parsed = json::parse(text);
    REQUIRE(parsed.is_array());
    CHECK(parsed == json(rows));
    CHECK(c.err.str().empty());
  }
  SECTION("pretty on a terminal, and still the same array")
  {
    Capture c;
    c.io.out_is_tty = true;
    auto text = render(Format::json, rows, k_columns, c);
    CHECK(text.find("\n  ") != std::string::npos);
    CHECK(json::parse(text) == json(rows));
  }
  SECTION("whole objects, not just the columns")
  {
    Capture c;
    render(Format::json, {{{"id", 1}, {"hidden", "kept"}}}, k_columns, c);
    CHECK(json::parse(c.out.str())[0]["hidden"] == "kept");
  }
  SECTION("empty is []")
  {
    Capture c;
    auto text = render(Format::json, {}, k_columns, c);
    CHECK(json::parse(text) == json::array());
    CHECK(text == "[]\n");
    Capture tty;
    tty.io.out_is_tty = true;
    CHECK(json::parse(render(Format::json, {}, k_columns, tty)) == json::array());
  }
}

TEST_CASE("output::make_sink jsonl", "[output]")
{
  auto rows = sample_rows();
  Capture c;
  auto text = render(Format::jsonl, rows, k_columns, c);
  auto lines = lines_of(text);
  REQUIRE(lines.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    CHECK(json::parse(lines[i]) == rows[i]);
  CHECK(text.back() == '\n');
  SECTION("even on a terminal: one object per line")
  {
    Capture tty;
    tty.io.out_is_tty = true;
    CHECK(lines_of(render(Format::jsonl, rows, k_columns, tty)).size() == rows.size());
  }
  SECTION("empty prints nothing")
  {
    Capture e;
    CHECK(render(Format::jsonl, {}, k_columns, e).empty());
  }
}

TEST_CASE("output::make_sink csv", "[output]")
{
  auto rows = sample_rows();
  Capture c;
  auto text = render(Format::csv, rows, k_columns, c);
  auto records = parse_csv(text);
  REQUIRE(records.size() == 4);
  SECTION("a header of the column keys")
  {
    CHECK(records[0] == std::vector<std::string>{"id", "name", "contact.city", "tags", "text"});
  }
  SECTION("fields with commas, quotes, CR/LF and CJK come back exactly")
  {
    CHECK(records[1] == std::vector<std::string>{"1", "Alice", "Berlin", "vip, new", "hello"});
    CHECK(records[2]
          == std::vector<std::string>{"2", "王小明", "北京", "", "comma, \"quoted\"\r\nand a second line\nthird"});
    CHECK(records[3] == std::vector<std::string>{"3", "Bob 😀", "", "a", "退款, 请"});
  }
  SECTION("plain fields are not quoted")
  {
    CHECK(text.rfind("id,name,contact.city,tags,text\r\n1,Alice,Berlin,\"vip, new\",hello\r\n", 0) == 0);
  }
  SECTION("empty is the header alone")
  {
    Capture e;
    auto only = render(Format::csv, {}, k_columns, e);
    CHECK(only == "id,name,contact.city,tags,text\r\n");
  }
  SECTION("a key that itself needs quoting")
  {
    Capture q;
    auto t = render(Format::csv, {{{"a,b", "x"}}}, {{"a,b", "A"}}, q);
    auto recs = parse_csv(t);
    REQUIRE(recs.size() == 2);
    CHECK(recs[0] == std::vector<std::string>{"a,b"});
    CHECK(recs[1] == std::vector<std::string>{"x"});
  }
}

TEST_CASE("output::make_sink table", "[output]")
{
  std::vector<Column> columns = {{"name", "NAME"}, {"city", "CITY"}, {"note", "NOTE"}};
  std::vector<json> rows = {
    {{"name", "中文名字"}, {"city", "北京"}, {"note", "first"}},
    {{"name", "ab"}, {"city", "Berlin"}, {"note", "second"}},
    {{"name", "😀x"}, {"city", "東京"}, {"note", "third"}},
  };
  SECTION("columns line up by display width, not bytes")
  {
    Capture c;
    auto lines = lines_of(render(Format::table, rows, columns, c));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].rfind("NAME", 0) == 0);
    const std::vector<std::string> cities = {"CITY", "北京", "Berlin", "東京"};
    const std::vector<std::string> notes = {"NOTE", "first", "second", "third"};
    std::size_t city_col = 0, note_col = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      INFO("line: " << lines[i]);
      auto city_at = lines[i].find(cities[i]);
      auto note_at = lines[i].find(notes[i]);
      REQUIRE(city_at != std::string::npos);
      REQUIRE(note_at != std::string::npos);
      auto cw = io::display_width(lines[i].substr(0, city_at));
      auto nw = io::display_width(lines[i].substr(0, note_at));
      if (i == 0) {
        city_col = cw;
        note_col = nw;
      }
      CHECK(cw == city_col);
      CHECK(nw == note_col);
    }
    CHECK(city_col == 8 + 2); // the widest name, 中文名字, is 8 columns
    CHECK(note_col == city_col + 6 + 2); // "Berlin"
    CHECK(lines[1].back() != ' '); // no trailing padding after the last column
  }
  SECTION("nested dotted columns and arrays")
  {
    Capture c;
    auto lines = lines_of(render(Format::table,
                                 {{{"contact", {{"name", "Li"}}}, {"tags", {"vip", "new"}}, {"n", 3}, {"ok", true}}},
                                 {{"contact.name", "CONTACT"}, {"tags", "TAGS"}, {"n", "N"}, {"ok", "OK"}}, c));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].find("Li") == 0);
    CHECK(lines[1].find("vip, new") != std::string::npos);
    CHECK(lines[1].find("3") != std::string::npos);
    CHECK(lines[1].find("true") != std::string::npos);
  }
  SECTION("newlines and tabs inside a cell do not break the row")
  {
    Capture c;
    auto lines = lines_of(render(Format::table, {{{"name", "two\nlines\tand\rmore"}, {"city", "x"}, {"note", "y"}}},
                                 columns, c));
    CHECK(lines.size() == 2);
  }
  SECTION("truncated to the terminal with an ellipsis")
  {
    Capture c;
    c.io.out_is_tty = true;
    c.io.width = 30;
    std::vector<json> wide = {
      {{"name", "一个非常非常非常长的客户名字在这里"}, {"city", "a very long city name indeed"}, {"note", "n"}},
    };
    auto lines = lines_of(render(Format::table, wide, columns, c));
    REQUIRE(lines.size() == 2);
    for (const auto& l : lines) {
      INFO("line: " << l);
      CHECK(io::display_width(l) <= 30);
    }
    CHECK(lines[1].find("…") != std::string::npos);
    CHECK(lines[1].rfind("一个", 0) == 0);
  }
  SECTION("not truncated when not a terminal")
  {
    Capture c;
    c.io.width = 20;
    auto text = render(Format::table, {{{"name", std::string(60, 'n')}, {"city", "c"}, {"note", "d"}}}, columns, c);
    CHECK(text.find(std::string(60, 'n')) != std::string::npos);
    CHECK(text.find("…") == std::string::npos);
  }
  SECTION("colour only in the header and only when asked")
  {
    Capture plain;
    CHECK(render(Format::table, rows, columns, plain).find('\033') == std::string::npos);
    Capture colour;
    colour.io.color = true;
    auto lines = lines_of(render(Format::table, rows, columns, colour));
    CHECK(lines[0].find('\033') != std::string::npos);
    CHECK(lines[1].find('\033') == std::string::npos);
  }
  SECTION("empty: nothing on stdout, a note on stderr")
  {
    Capture c;
    CHECK(render(Format::table, {}, columns, c).empty());
    CHECK_FALSE(c.err.str().empty());
  }
}

TEST_CASE("output::lookup and cell_text", "[output]")
{
  json obj = {{"a", {{"b", {{"c", 42}}}}}, {"s", "text"}, {"arr", {1, "two", nullptr}}, {"flag", false}};
  CHECK(lookup(obj, "a.b.c") == 42);
  CHECK(lookup(obj, "s") == "text");
  CHECK(lookup(obj, "a.x").is_null());
  CHECK(lookup(obj, "s.deeper").is_null());
  CHECK(lookup(obj, "missing").is_null());
  CHECK(lookup(json::array(), "a").is_null());
  CHECK(cell_text(lookup(obj, "a.b.c")) == "42");
  CHECK(cell_text(lookup(obj, "a.b")) == R"({"c":42})");
  CHECK(cell_text(obj["arr"]) == "1, two, ");
  CHECK(cell_text(obj["flag"]) == "false");
  CHECK(cell_text(json()) == "");
  CHECK(cell_text(json("中文")) == "中文");
  CHECK(cell_text(json(1.5)) == "1.5");
}

TEST_CASE("output invalid UTF-8 never throws", "[output]")
{
  json row = {{"id", 1}, {"text", std::string("bad \xff\xfe bytes \xe4\xb8")}};
  for (auto f : {Format::json, Format::jsonl, Format::csv, Format::table}) {
    INFO("format " << to_string(f));
    Capture c;
    std::string text;
    REQUIRE_NOTHROW(text = render(f, {row}, {{"id", "ID"}, {"text", "TEXT"}}, c));
    if (f == Format::json || f == Format::jsonl) {
      json parsed;
      REQUIRE_NOTHROW(parsed = json::parse(text));
      auto element = f == Format::json ? parsed[0] : parsed;
      auto s = element["text"].get<std::string>();
      CHECK(s.find("\xef\xbf\xbd") != std::string::npos); // U+FFFD replaces the bad bytes
      CHECK(s.find("bad ") == 0);
    }
  }
  SECTION("dump_json directly, pretty and compact")
  {
    CHECK_NOTHROW(dump_json(row, true));
    CHECK(dump_json(row, false).find("\xef\xbf\xbd") != std::string::npos);
  }
  SECTION("print_object")
  {
    Capture c;
    REQUIRE_NOTHROW(print_object(Format::json, c.io, row, {{"text", "TEXT"}}));
    CHECK(json::parse(c.out.str())["id"] == 1);
  }
}

TEST_CASE("output::print_object", "[output]")
{
  json obj = {{"name", "shop"}, {"platform", "telegram"}, {"credentials", {{"token", "env:T"}}}, {"n", nullptr}};
  std::vector<Column> columns = {{"name", "NAME"}, {"credentials.token", "TOKEN"}, {"n", "LONGER HEADER"}};
  SECTION("json and jsonl: the whole object")
  {
    for (auto f : {Format::json, Format::jsonl}) {
      Capture c;
      print_object(f, c.io, obj, columns);
      CHECK(json::parse(c.out.str()) == obj);
    }
  }
  SECTION("csv: a header and one row")
  {
    Capture c;
    print_object(Format::csv, c.io, obj, columns);
    auto recs = parse_csv(c.out.str());
    REQUIRE(recs.size() == 2);
    CHECK(recs[0] == std::vector<std::string>{"name", "credentials.token", "n"});
    CHECK(recs[1] == std::vector<std::string>{"shop", "env:T", ""});
  }
  SECTION("table: aligned key: value lines")
  {
    Capture c;
    print_object(Format::table, c.io, obj, columns);
    auto lines = lines_of(c.out.str());
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].rfind("NAME:", 0) == 0);
    CHECK(lines[0].find("shop") != std::string::npos);
    CHECK(lines[1].find("env:T") != std::string::npos);
    CHECK(lines[0].find("shop") == lines[1].find("env:T")); // values start in one column
  }
}

}  // namespace output_test_sinks
