// `svc export` run in-process (cli::run) on the hand-built history of tests/unit/history/
// test_export_fixture.hpp: every format read back by an independent reader (nlohmann for JSON lines,
// an RFC 4180 reader for CSV, pugixml for the HTML page, an unescaper for Markdown), the same fields
// as `svc show`, filters, --format precedence, usage and not-found errors, and -o written atomically.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include <pugixml.hpp>

#include "support/expect_svc.hpp"
#include "unit/history/test_export_fixture.hpp"

namespace commands_test_export {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

struct Env {
  ExportHistory h;
  InProcess svc{h.state};

  Outcome ok(const std::vector<std::string>& args) { return svc::test::ok(svc, args); }
  std::vector<json> lines(std::vector<std::string> args)
  {
    args.insert(args.begin(), "export");
    std::vector<json> out;
    std::istringstream in(ok(args).out);
    for (std::string line; std::getline(in, line);)
      out.push_back(json::parse(line));
    return out;
  }
  void fails(std::vector<std::string> args, int code, const std::string& message)
  {
    args.insert(args.begin(), "export");
    svc::test::fails(svc, args, code, message);
  }
};

std::vector<std::string>
ids_of(const std::vector<json>& rows)
{
  std::vector<std::string> out;
  for (const auto& r : rows)
    out.push_back(r.at("platform_message_id"));
  return out;
}

// A flat view of a JSON line as CSV shows it: nested contact fields dotted, null as "".
std::map<std::string, std::string>
flattened(const json& row)
{
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : row.items()) {
    if (v.is_object()) {
      for (const auto& [k2, v2] : v.items())
        out[k + "." + k2] = v2.is_null() ? "" : v2.is_string() ? v2.get<std::string>() : v2.dump();
    } else {
      out[k] = v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
  return out;
}

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

std::vector<std::string>
dir_names(const std::filesystem::path& dir)
{
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_CASE("svc export jsonl", "[commands][export]")
{
  Env e;
  auto rows = e.lines({});
  REQUIRE(rows.size() == 10);

  SECTION("each line holds the fields of the `svc show` message, plus account, platform, conversation and contact")
  {
    auto shown = json::parse(e.ok({"--format", "json", "show", std::to_string(e.h.lin_conv)}).out);
    REQUIRE(shown.at("messages").size() == 6);
    for (const auto& m : shown.at("messages")) {
      auto it = std::find_if(rows.begin(), rows.end(), [&](const json& r) { return r.at("id") == m.at("id"); });
      REQUIRE(it != rows.end());
      for (const auto& [k, v] : m.items())
        CHECK(it->at(k) == v);
      CHECK(it->at("account") == "tg");
      CHECK(it->at("platform") == "telegram");
      CHECK(it->at("conversation_id") == e.h.lin_conv);
      CHECK(it->at("contact") == json{{"id", e.h.lin}, {"name", "Lin"}, {"platform_user_id", "42"}});
    }
    auto hostile = std::find_if(rows.begin(), rows.end(), [](const json& r) { return r.at("platform_message_id") == "42:3"; });
    CHECK(hostile->at("text") == k_hostile);
    CHECK(hostile->at("author") == "Lin");
    auto answer = std::find_if(rows.begin(), rows.end(), [](const json& r) { return r.at("platform_message_id") == "42:2"; });
    CHECK(answer->at("direction") == "out");
    CHECK(answer->at("author") == "ann");
    CHECK(answer->at("reply_to") == "42:1");
  }

  SECTION("filters")
  {
    CHECK(ids_of(e.lines({"--account", "wb"})) == std::vector<std::string>{"w1", "w2", "w3", "c1"});
    CHECK(ids_of(e.lines({"--contact", "wb:777"})) == std::vector<std::string>{"w1", "w2", "w3"});
    CHECK(ids_of(e.lines({"--contact", std::to_string(e.h.mei)})) == std::vector<std::string>{"c1"});
    CHECK(e.lines({"--tag", "vip"}).size() == 6);
    CHECK(ids_of(e.lines({"--since", "2026-11-18T08:05:00Z", "--until", "2026-11-18T08:33:20Z"})) ==
          std::vector<std::string>{"42:3", "42:4", "w3"});
    CHECK(ids_of(e.lines({"--status", "open", "--account", "wb", "--since", "2026-11-18T08:01:00Z"})) ==
          std::vector<std::string>{"w2", "w3", "c1"});
    CHECK(e.lines({"--status", "resolved"}).size() == 6);
    CHECK(e.lines({"--status", "pending"}).empty());
    // Relative to now (the test clock is 2026-11-18T11:06:40Z; the last message came at 09:23:20).
    CHECK(e.lines({"--since", "1h"}).empty());
    CHECK(ids_of(e.lines({"--since", "2h"})) == std::vector<std::string>{"c1"});
  }
}

TEST_CASE("svc export csv", "[commands][export]")
{
  Env e;
  auto rows = e.lines({});
  auto out = e.ok({"export", "--format", "csv"}).out;
  auto records = read_csv(out);
  REQUIRE(records.size() == rows.size() + 1);

  SECTION("the same columns as the JSON lines, the same values, quotes, commas, line breaks and CJK intact")
  {
    std::vector<std::string> header = records[0];
    auto first = flattened(rows[0]);
    std::vector<std::string> keys;
    for (const auto& [k, v] : first)
      keys.push_back(k);
    std::vector<std::string> sorted_header = header;
    std::sort(sorted_header.begin(), sorted_header.end());
    CHECK(sorted_header == keys);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto want = flattened(rows[i]);
      REQUIRE(records[i + 1].size() == header.size());
      for (std::size_t c = 0; c < header.size(); ++c)
        CHECK(records[i + 1][c] == want[header[c]]);
    }
    CHECK(out.find(k_hostile) == std::string::npos); // it had to be quoted
  }

  SECTION("--bom starts with a UTF-8 byte order mark, and nothing else changes")
  {
    auto bom = e.ok({"export", "--format", "csv", "--bom"}).out;
    CHECK(bom == "\xEF\xBB\xBF" + out);
  }

  SECTION("--per conversation")
  {
    auto conv = read_csv(e.ok({"export", "--format", "csv", "--per", "conversation"}).out);
    REQUIRE(conv.size() == 4);
    std::map<std::string, std::string> lin;
    for (std::size_t c = 0; c < conv[0].size(); ++c)
      lin[conv[0][c]] = conv[1][c];
    CHECK(lin["id"] == std::to_string(e.h.lin_conv));
    CHECK(lin["contact.name"] == "Lin");
    CHECK(lin["tags"] == "vip");
    CHECK(lin["agents"] == "ann;bob");
    CHECK(lin["first_response_s"] == "120");
    CHECK(lin["resolution_s"] == "3000");
    CHECK(lin["messages_in"] == "3");
    CHECK(lin["messages_out"] == "3");
    CHECK(lin["reopen_count"] == "1");
    CHECK(lin["status"] == "resolved");
  }
}

TEST_CASE("svc export html", "[commands][export]")
{
  Env e;
  auto page = e.ok({"export", "--format", "html"}).out;

  SECTION("hostile text is escaped: no script, no external resource")
  {
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;") != std::string::npos);
    CHECK(page.find("src=") == std::string::npos);
    CHECK(page.find("href=") == std::string::npos);
    CHECK(page.find("url(") == std::string::npos);
    CHECK(page.find("@import") == std::string::npos);
  }

  SECTION("read back by an XML parser: a transcript per conversation with every text as stored")
  {
    pugi::xml_document doc;
    auto parsed = doc.load_string(page.c_str(), (pugi::parse_default | pugi::parse_doctype) & ~pugi::parse_eol);
    INFO(parsed.description());
    REQUIRE(parsed);
    auto body = doc.child("html").child("body");
    std::vector<std::int64_t> sections;
    std::vector<std::string> texts;
    for (auto section : body.children("section")) {
      sections.push_back(std::stoll(std::string(section.attribute("id").value()).substr(1)));
      for (auto msg : section.children("div"))
        texts.push_back(msg.find_child_by_attribute("div", "class", "text").text().get());
    }
    CHECK(sections == std::vector<std::int64_t>{e.h.lin_conv, e.h.zaku_conv, e.h.mei_conv});
    CHECK(texts == std::vector<std::string>{"hi, 你好", "hello", k_hostile, "on it", "again", "done", "early",
                                            "question", "answer", "multi\nline"});
    // Nothing in the page became an element it did not write.
    std::vector<std::string> names;
    struct Walker : pugi::xml_tree_walker {
      std::vector<std::string>* names;
      bool for_each(pugi::xml_node& n) override
      {
        if (n.type() == pugi::node_element)
          names->push_back(n.name());
        return true;
      }
    } walker;
    walker.names = &names;
    doc.traverse(walker);
    for (const auto& n : names)
      CHECK((n == "html" || n == "head" || n == "meta" || n == "title" || n == "style" || n == "body" || n == "h1" ||
             n == "h2" || n == "p" || n == "section" || n == "div" || n == "time"));
  }

  SECTION("--per conversation is a table")
  {
    auto table = e.ok({"export", "--format", "html", "--per", "conversation"}).out;
    pugi::xml_document doc;
    REQUIRE(doc.load_string(table.c_str(), pugi::parse_default | pugi::parse_doctype));
    auto rows = doc.child("html").child("body").child("table").children("tr");
    CHECK(std::distance(rows.begin(), rows.end()) == 4);
  }
}

TEST_CASE("svc export md", "[commands][export]")
{
  Env e;
  auto md = e.ok({"export", "--format", "md"}).out;
  CHECK(md.find("<script") == md.find("\\<script") + 1); // only escaped: \<script\>
  // The quoted lines of each message, unescaped, give back the text.
  std::vector<std::string> texts;
  std::istringstream in(md);
  std::string current;
  bool quoting = false;
  for (std::string line; std::getline(in, line);) {
    if (line == ">" || line.rfind("> ", 0) == 0) {
      if (quoting)
        current += "\n";
      current += unescape_markdown(line.size() > 2 ? line.substr(2) : "");
      quoting = true;
    } else if (quoting) {
      texts.push_back(current);
      current.clear();
      quoting = false;
    }
  }
  std::string hostile_lf = k_hostile;
  hostile_lf.erase(hostile_lf.find('\r'), 1); // a Markdown line ends at LF; the CR goes
  CHECK(texts == std::vector<std::string>{"hi, 你好", "hello", hostile_lf, "on it", "again", "done", "early", "question",
                                          "answer", "multi\nline"});
  auto table = e.ok({"export", "--format", "md", "--per", "conversation"}).out;
  CHECK(std::count(table.begin(), table.end(), '\n') == 5); // header, rule, three conversations
}

TEST_CASE("svc export --format", "[commands][export]")
{
  Env e;
  auto csv = e.ok({"export", "--format", "csv"}).out;
  auto jsonl = e.ok({"export"}).out;
  CHECK(e.ok({"--format", "csv", "export"}).out == csv); // the global option, when export can write it
  CHECK(e.ok({"--format", "json", "export"}).out == jsonl);
  CHECK(e.ok({"--format", "csv", "export", "--format", "jsonl"}).out == jsonl); // its own wins
  e.svc.env["SVC_FORMAT"] = "csv";
  CHECK(e.ok({"export"}).out == csv);
  CHECK(e.ok({"export", "--format", "md"}).out.rfind("# Conversations", 0) == 0);
}

TEST_CASE("svc export errors", "[commands][export]")
{
  Env e;
  e.fails({"--format", "xml"}, 2, "unknown export format 'xml'");
  e.fails({"--per", "day"}, 2, "unknown --per 'day'");
  e.fails({"--bom"}, 2, "--bom is for --format csv only");
  e.fails({"--status", "closed"}, 2, "unknown status 'closed'");
  e.fails({"--since", "yesterday"}, 2, "yesterday");
  e.fails({"--since", "2026-11-18", "--until", "2026-11-17"}, 2, "is not after --since");
  e.fails({"--tag", "a,b"}, 2, "a,b");
  e.fails({"--account", "nosuch"}, 3, "nosuch");
  e.fails({"--contact", "tg:999"}, 3, "999");
  e.fails({"--tag", "gold"}, 3, "no tag 'gold'");
  auto missing = e.svc.run({"--state", (e.h.dir / "none.db").string(), "export"});
  CHECK(missing.code == 3);
  CHECK_FALSE(std::filesystem::exists(e.h.dir / "none.db"));
}

TEST_CASE("svc export -o", "[commands][export]")
{
  Env e;
  TempDir out_dir;
  auto target = out_dir / "history.jsonl";
  auto stdout_export = e.ok({"export"}).out;

  SECTION("writes what stdout would get, and says so on stderr")
  {
    auto o = e.ok({"export", "-o", target.string()});
    CHECK(o.out.empty());
    CHECK(o.err == "✓ Exported 10 messages to " + target.string() + "\n");
    CHECK(read_file(target) == stdout_export);
    CHECK(dir_names(out_dir.path()) == std::vector<std::string>{"history.jsonl"});
    CHECK(e.ok({"-q", "export", "-o", target.string(), "--per", "conversation"}).err.empty());
    CHECK(read_file(target).find("\"reopen_count\":1") != std::string::npos);
  }

  SECTION("a failing export leaves no file, or the old one untouched")
  {
    for (const auto& bad : std::vector<std::vector<std::string>>{
           {"--contact", "tg:999"}, {"--tag", "gold"}, {"--account", "nosuch"}, {"--since", "soon"}}) {
      std::vector<std::string> args = {"-o", target.string()};
      args.insert(args.end(), bad.begin(), bad.end());
      e.fails(args, bad[0] == "--since" ? 2 : 3, "");
      CHECK(dir_names(out_dir.path()).empty());
    }
    write_file(target, "old");
    e.fails({"-o", target.string(), "--contact", "tg:999"}, 3, "tg:999");
    CHECK(read_file(target) == "old");
    CHECK(dir_names(out_dir.path()) == std::vector<std::string>{"history.jsonl"});
    e.fails({"-o", (out_dir / "missing" / "x.jsonl").string()}, 2, "cannot write");
    e.fails({"-o", out_dir.path().string()}, 2, "is a directory");
  }
}

}  // namespace commands_test_export
