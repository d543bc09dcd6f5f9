// `svc report` run in-process (cli::run) on the hand-built history of
// tests/unit/history/test_report_fixture.hpp: the output formats, --define against the printed fields,
// --html, and usage errors that touch nothing.
#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include <svc/history/report_definitions.hpp>

#include "commands/report.hpp"
#include "support/expect_svc.hpp"
#include "unit/history/test_report_fixture.hpp"

namespace commands_test_report {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

struct Env : SvcEnv {
  Env() : SvcEnv(k_report_now)
  {
    ReportHistoryBuilder h(state);
    fill_report_history(h);
  }
};

std::vector<std::string>
lines(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    out.push_back(l.empty() || l.back() != '\r' ? l : l.substr(0, l.size() - 1));
  return out;
}

} // namespace

TEST_CASE("svc report", "[commands][report]")
{
  Env env;
  auto& svc = env.svc;

  SECTION("json: one object per group and the total, durations in seconds, shares 0..1")
  {
    auto rows = json::parse(ok(svc, {"--format", "json", "report"}).out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].at("group") == "tg");
    CHECK(rows[1].at("group") == "tg2");
    const auto& total = rows[2];
    CHECK(total.at("group").is_null());
    CHECK(total.at("by") == "account");
    CHECK(total.at("inquiries") == 9);
    CHECK(total.at("first_response_median_s") == 5);
    CHECK(total.at("first_response_p90_s") == 600);
    CHECK(total.at("first_response_mean_s") == 119.5);
    CHECK(total.at("sla_s") == 300);
    CHECK(total.at("sla_rate") == 0.625);
    CHECK(total.at("abandoned") == 2);
    CHECK(total.at("backlog") == 3);
    CHECK(total.at("deflected") == 1);
    CHECK(rows[1].at("first_response_median_s").is_null());

    auto agents = json::parse(ok(svc, {"--format", "json", "report", "--by", "agent", "--sla", "10m"}).out);
    REQUIRE(agents.size() == 5);
    CHECK(agents[4].at("sla_met") == 6);
    CHECK(agents[4].at("sla_s") == 600);
  }

  SECTION("table for people: human units, percentages, a TOTAL row")
  {
    auto out = ok(svc, {"report"}).out;
    auto l = lines(out);
    REQUIRE(l.size() == 4);
    CHECK(l[0].rfind("ACCOUNT", 0) == 0);
    CHECK(l[3].rfind("TOTAL", 0) == 0);
    CHECK(l[3].find("10m 00s") != std::string::npos);  // first response p90
    CHECK(l[3].find("62.5%") != std::string::npos);     // within the SLA
    CHECK(l[3].find("25.0%") != std::string::npos);     // abandoned
    CHECK(ok(svc, {"report", "--by", "day"}).out.find("2026-11-19") != std::string::npos);
  }

  SECTION("csv and jsonl: every defined field, in the order of the definitions")
  {
    auto csv = lines(ok(svc, {"--format", "csv", "report", "--by", "channel"}).out);
    REQUIRE(csv.size() == 3);  // header, dm, total
    std::string header;
    for (const auto& d : history::report_definitions())
      header += (header.empty() ? "" : ",") + std::string(d.name);
    CHECK(csv[0] == header);
    CHECK(csv[1].rfind("channel,dm,13,9,3,8,9,6,5,600,119.5,", 0) == 0);
    auto jsonl = lines(ok(svc, {"--format", "jsonl", "report", "--by", "agent"}).out);
    CHECK(jsonl.size() == 5);
    CHECK(json::parse(jsonl[0]).at("group") == "(none)");
  }

  SECTION("--define defines every figure a report prints, in every format")
  {
    auto defs = json::parse(ok(svc, {"--format", "json", "report", "--define"}).out);
    std::set<std::string> names;
    for (const auto& d : defs) {
      CHECK(d.at("definition").get<std::string>().size() > 20);
      names.insert(d.at("name").get<std::string>());
    }
    for (std::string by : {"account", "channel", "agent", "day"})
      for (const auto& row : json::parse(ok(svc, {"--format", "json", "report", "--by", by}).out))
        for (const auto& [key, value] : row.items()) {
          INFO("field " << key);
          CHECK(names.count(key) == 1);
        }
    for (const auto& column : commands::report_table_columns()) {
      INFO("table column " << column.header);
      CHECK(names.count(column.key) == 1);
    }
    auto text = ok(svc, {"report", "--define"}).out;
    auto help = ok(svc, {"report", "--help"}).out;
    for (const auto& name : names) {
      CHECK(text.find("  " + name + " (") != std::string::npos);
      CHECK(help.find("  " + name + " (") != std::string::npos);
    }
    CHECK(text.find("hand-over") != std::string::npos);
  }

  SECTION("--html writes a self-contained page atomically, and still prints the report")
  {
    auto file = env.dir / "report.html";
    auto o = ok(svc, {"report", "--by", "agent", "--html", file.string()});
    CHECK(o.out.find("TOTAL") != std::string::npos);
    CHECK(o.err.find("Wrote") != std::string::npos);
    auto page = read_file(file);
    CHECK(page.find("<svg") != std::string::npos);
    CHECK(page.find("</html>") != std::string::npos);
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(env.dir.path()))
      files += e.path().filename().string().rfind("report.html", 0) == 0 ? 1 : 0;
    CHECK(files == 1);  // no temporary file left beside it

    auto o2 = svc.run({"report", "--html", (env.dir / "missing" / "r.html").string()});
    CHECK(o2.code == 2);
    CHECK(o2.out.empty());
    CHECK(o2.err.rfind("svc: error: cannot write", 0) == 0);
    CHECK(o2.err.find("hint: --html needs") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(env.dir / "missing"));
  }

  SECTION("bad options: usage (exit 2) before anything is read or written")
  {
    fails(svc, {"report", "--by", "week"}, 2, "cannot report by 'week'");
    fails(svc, {"report", "--sla", "soon"}, 2, "invalid duration 'soon'");
    fails(svc, {"report", "--sla", "0"}, 2, "--sla must be longer than 0");
    fails(svc, {"report", "--since", "2026-11-20", "--until", "2026-11-19"}, 2, "the window is empty");
    fails(svc, {"report", "--deflection-window", "x"}, 2, "invalid duration 'x'");
    fails(svc, {"report", "--since", "yesterday"}, 2, "yesterday");
    auto file = env.dir / "bad.html";
    fails(svc, {"report", "--by", "week", "--html", file.string()}, 2, "cannot report by");
    CHECK_FALSE(std::filesystem::exists(file));
  }
}

TEST_CASE("svc report: no state file", "[commands][report]")
{
  TempDir dir;
  InProcess svc{(dir / "state.db").string(), k_report_now};
  auto bad = svc.run({"report", "--by", "week"});
  CHECK(bad.code == 2);
  auto o = svc.run({"report"});
  CHECK(o.code == 3);
  CHECK(o.err.find("no state file") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "state.db"));  // a report creates nothing
}

}  // namespace commands_test_report
