// history::export_history over a real state file holding the hand-built history of
// test_export_fixture.hpp: the conversation figures, filters and order at the library level, a write
// that fails or is cancelled half-way, and AtomicFile (-o) leaving either the whole file or nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include <svc/history/export.hpp>
#include <svc/io/atomic_file.hpp>

#include "unit/history/test_export_fixture.hpp"

namespace history_test_export {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

std::vector<json>
jsonl(const std::string& text)
{
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(json::parse(line));
  return out;
}

std::string
run(ExportHistory& h, history::ExportOptions o)
{
  auto source = store::export_source(*h.store);
  std::ostringstream out;
  auto rows = history::export_history(*source, o, out);
  REQUIRE(rows.has_value());
  return out.str();
}

std::vector<std::string>
names_in(const std::filesystem::path& dir)
{
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_CASE("history::export_history --per conversation figures", "[history][export]")
{
  ExportHistory h;
  history::ExportOptions o;
  o.level = history::ExportLevel::conversation;
  auto rows = jsonl(run(h, o));
  REQUIRE(rows.size() == 3);
  // By creation: lin (T+0), zaku (T+50, its first stored message), mei (T+5000).
  const json& lin = rows[0];
  CHECK(lin.at("id") == h.lin_conv);
  CHECK(lin.at("account") == "tg");
  CHECK(lin.at("platform") == "telegram");
  CHECK(lin.at("channel") == "dm");
  CHECK(lin.at("contact") == json{{"id", h.lin}, {"name", "Lin"}, {"platform_user_id", "42"}});
  CHECK(lin.at("status") == "resolved");
  CHECK(lin.at("tags") == json::array({"vip"}));
  CHECK(lin.at("agents") == json::array({"ann", "bob"}));
  CHECK(lin.at("created_at") == "2026-11-18T08:00:00Z");
  CHECK(lin.at("first_inbound_at") == "2026-11-18T08:00:00Z");
  CHECK(lin.at("first_response_at") == "2026-11-18T08:02:00Z");
  CHECK(lin.at("first_response_s") == 120);
  CHECK(lin.at("resolved_at") == "2026-11-18T08:50:00Z");
  CHECK(lin.at("resolution_s") == 3000);
  CHECK(lin.at("messages_in") == 3);
  CHECK(lin.at("messages_out") == 3);
  CHECK(lin.at("reopen_count") == 1);

  const json& zaku = rows[1];
  CHECK(zaku.at("id") == h.zaku_conv);
  CHECK(zaku.at("created_at") == "2026-11-18T08:00:50Z");
  CHECK(zaku.at("first_inbound_at") == "2026-11-18T08:01:40Z");
  CHECK(zaku.at("first_response_s") == 300); // the answer stamped before the question does not count
  CHECK(zaku.at("status") == "open");
  CHECK(zaku.at("resolved_at").is_null());
  CHECK(zaku.at("resolution_s").is_null());
  CHECK(zaku.at("agents") == json::array({"carol"}));
  CHECK(zaku.at("messages_in") == 1);
  CHECK(zaku.at("messages_out") == 2);
  CHECK(zaku.at("reopen_count") == 0);

  const json& mei = rows[2];
  CHECK(mei.at("channel") == "comment");
  CHECK(mei.at("first_response_at").is_null());
  CHECK(mei.at("first_response_s").is_null());
  CHECK(mei.at("agents") == json::array());
  CHECK(mei.at("tags") == json::array());
  CHECK(mei.at("messages_in") == 1);
  CHECK(mei.at("messages_out") == 0);

  SECTION("filters select conversations")
  {
    o.filter.status = "resolved";
    CHECK(jsonl(run(h, o)).size() == 1);
    o.filter.status.reset();
    o.filter.account_id = h.wb.id;
    auto wb = jsonl(run(h, o));
    REQUIRE(wb.size() == 2);
    CHECK(wb[0].at("id") == h.zaku_conv);
    o.filter.account_id.reset();
    o.filter.since = k_t0 + 50; // by creation
    CHECK(jsonl(run(h, o)).size() == 2);
    o.filter.until = k_t0 + 51;
    CHECK(jsonl(run(h, o)).size() == 1);
  }
}

TEST_CASE("history::export_history messages", "[history][export]")
{
  ExportHistory h;
  history::ExportOptions o;

  SECTION("line formats follow time; transcripts group by conversation")
  {
    auto rows = jsonl(run(h, o));
    REQUIRE(rows.size() == 10);
    std::vector<std::string> ids;
    for (const auto& r : rows)
      ids.push_back(r.at("platform_message_id"));
    CHECK(ids == std::vector<std::string>{"42:1", "w1", "w2", "42:2", "42:3", "42:4", "w3", "42:5", "42:6", "c1"});
    o.format = history::ExportFormat::md;
    std::string md = run(h, o);
    auto first = [&](const std::string& s) { return md.find(s); };
    CHECK(first("Conversation #" + std::to_string(h.lin_conv)) < first("Conversation #" + std::to_string(h.zaku_conv)));
    CHECK(first("again") < first("question")); // all of Lin's conversation before zaku's
  }

  SECTION("filters")
  {
    o.filter.contact_id = h.zaku;
    CHECK(jsonl(run(h, o)).size() == 3);
    o.filter.contact_id.reset();
    o.filter.tag = "vip";
    CHECK(jsonl(run(h, o)).size() == 6);
    o.filter.tag.reset();
    o.filter.since = k_t0 + 300;
    o.filter.until = k_t0 + 2000; // [since, until)
    auto rows = jsonl(run(h, o));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].at("platform_message_id") == "42:3");
    CHECK(rows[2].at("platform_message_id") == "w3");
    o.filter.status = "open";
    CHECK(jsonl(run(h, o)).size() == 1); // w3; Lin's are resolved
  }

  SECTION("progress is reported as rows go, and at the end")
  {
    std::vector<std::int64_t> seen;
    o.progress_every = 4;
    o.progress = [&](std::int64_t n) { seen.push_back(n); };
    run(h, o);
    CHECK(seen == std::vector<std::int64_t>{4, 8, 10});
  }

  SECTION("a cancelled export stops and is an error")
  {
    int polled = 0;
    o.cancelled = [&] { return ++polled == 2; };
    auto source = store::export_source(*h.store);
    std::ostringstream out;
    auto rows = history::export_history(*source, o, out);
    REQUIRE_FALSE(rows.has_value());
    CHECK(rows.error().message == "export interrupted after 2 rows");
  }

  SECTION("a stream that fails is an error")
  {
    auto source = store::export_source(*h.store);
    std::ostringstream out;
    out.setstate(std::ios::badbit);
    auto rows = history::export_history(*source, o, out);
    REQUIRE_FALSE(rows.has_value());
    CHECK(rows.error().message.find("cannot write the export") == 0);
  }
}

TEST_CASE("io::AtomicFile", "[history][export]")
{
  TempDir dir;
  auto target = dir / "out.jsonl";

  SECTION("commit renames the whole file into place; nothing else is left")
  {
    auto file = io::AtomicFile::create(target.string());
    REQUIRE(file.has_value());
    (*file)->stream() << "one\ntwo\n";
    CHECK_FALSE(std::filesystem::exists(target)); // not before commit
    CHECK(std::filesystem::exists((*file)->temp_path()));
    CHECK(std::filesystem::path((*file)->temp_path()).parent_path() == dir.path());
    REQUIRE((*file)->commit().has_value());
    CHECK(read_file(target) == "one\ntwo\n");
    file->reset();
    CHECK(names_in(dir.path()) == std::vector<std::string>{"out.jsonl"});
  }

  SECTION("without commit (an error or a signal half-way) the old file stays and the temporary goes")
  {
    write_file(target, "old");
    ExportHistory h;
    {
      auto file = io::AtomicFile::create(target.string());
      REQUIRE(file.has_value());
      history::ExportOptions o;
      o.progress_every = 1;
      o.cancelled = [] { return true; };
      auto source = store::export_source(*h.store);
      CHECK_FALSE(history::export_history(*source, o, (*file)->stream()).has_value());
      CHECK(std::filesystem::exists((*file)->temp_path()));
    }
    CHECK(read_file(target) == "old");
    CHECK(names_in(dir.path()) == std::vector<std::string>{"out.jsonl"});
  }

  SECTION("an existing file keeps its mode")
  {
    write_file(target, "old");
    std::filesystem::permissions(target, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto file = io::AtomicFile::create(target.string());
    REQUIRE(file.has_value());
    (*file)->stream() << "new";
    REQUIRE((*file)->commit().has_value());
    CHECK(read_file(target) == "new");
    CHECK(std::filesystem::status(target).permissions() ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  }

  SECTION("a directory that does not exist is a usage error")
  {
    auto file = io::AtomicFile::create((dir / "no" / "out.jsonl").string());
    REQUIRE_FALSE(file.has_value());
    CHECK(file.error().kind == ErrorKind::usage);
  }
}

}  // namespace history_test_export
