// svc report's figures (lib/svc/history/report.cpp over lib/svc/store/report_source.cpp) on the
// hand-built history of test_report_fixture.hpp, every expected figure worked out by hand there.
#include <algorithm>

#include <svc/history/report.hpp>
#include <svc/history/report_definitions.hpp>
#include <svc/store/report_source.hpp>

#include "test_report_fixture.hpp"

namespace history_test_report {

using namespace svc;
using namespace svc::test;
using history::ReportBy;

namespace {

struct Built {
  TempDir dir;
  ReportHistoryBuilder h{dir / "state.db"};
  store::ReportHistory rows;
  Built()
  {
    fill_report_history(h);
    auto read = store::report_source(*h.st)->history();
    REQUIRE(read.has_value());
    rows = std::move(*read);
  }
  history::Report report(ReportBy by, UnixTime since = 0, UnixTime until = k_report_now, std::int64_t sla = 300)
  {
    history::ReportOptions o;
    o.by = by;
    o.since = since;
    o.until = until;
    o.now = k_report_now;
    o.sla_s = sla;
    return history::compute_report(rows, o);
  }
};

const history::ReportRow&
row(const history::Report& r, const std::string& group)
{
  for (const auto& x : r.rows)
    if (x.group == group)
      return x;
  FAIL("no row " << group);
  return r.rows.back();
}

} // namespace

TEST_CASE("history::compute_report: the hand-built history", "[history][report]")
{
  Built b;

  SECTION("total")
  {
    auto r = b.report(ReportBy::account);
    REQUIRE(r.rows.size() == 3);  // tg, tg2, total
    const auto& t = r.rows.back();
    CHECK_FALSE(t.group);
    CHECK(t.inbound == 13);
    CHECK(t.outbound == 9);        // ann's reply to the resolved conversation included
    CHECK(t.bot_replies == 3);
    CHECK(t.conversations == 8);
    CHECK(t.inquiries == 9);       // A twice: it came back after a resolution
    CHECK(t.first_response.count == 6);
    CHECK(t.first_response.median == 5);     // 0 2 5 10 100 600
    CHECK(t.first_response.p90 == 600);
    CHECK(t.first_response.mean == Approx(119.5));
    CHECK(t.reply.count == 8);               // 0 2 5 10 100 300 300 600
    CHECK(t.reply.median == 10);
    CHECK(t.reply.p90 == 600);
    CHECK(t.reply.mean == Approx(164.625));
    CHECK(t.sla_met == 5);
    CHECK(t.sla_decided == 8);               // E is still within the SLA: undecided
    CHECK(t.sla_rate == Approx(0.625));
    CHECK(t.abandoned == 2);                 // C (resolved unanswered) and D (waiting for days)
    CHECK(t.abandon_rate == Approx(0.25));
    CHECK(t.resolved == 3);
    CHECK(t.resolution_rate == Approx(3.0 / 9));
    CHECK(t.resolution.median == 1000);      // 500 1000 1000
    CHECK(t.resolution.p90 == 1000);
    CHECK(t.resolution.mean == Approx(2500.0 / 3));
    CHECK(t.backlog == 3);                   // D, E, G
    CHECK(t.bot_answered == 2);              // F, G (H was taken over by ann)
    CHECK(t.deflected == 1);                 // F (G's customer came back)
    CHECK(t.deflection_rate == Approx(1.0 / 9));
    CHECK(r.first_responses.size() == 6);
  }

  SECTION("clock skew: a reply sent through svc stamped before the question answers it after 0 s")
  {
    auto r = b.report(ReportBy::agent, k_day0 + 2900, k_day0 + 3100);
    const auto& t = r.rows.back();
    CHECK(t.inquiries == 1);
    CHECK(t.first_response.count == 1);
    CHECK(t.first_response.median == 0);
    CHECK(t.abandoned == 0);
    CHECK(t.outbound == 1);
    CHECK(row(r, "bob").inquiries == 1);
  }

  SECTION("by account")
  {
    auto r = b.report(ReportBy::account);
    const auto& tg = row(r, "tg");
    CHECK(tg.inbound == 10);
    CHECK(tg.outbound == 9);
    CHECK(tg.conversations == 5);
    CHECK(tg.inquiries == 6);
    CHECK(tg.first_response.count == 6);
    CHECK(tg.sla_met == 5);
    CHECK(tg.sla_rate == Approx(5.0 / 6));
    CHECK(tg.abandoned == 0);
    CHECK(tg.resolved == 2);
    CHECK(tg.backlog == 1);
    CHECK(tg.bot_answered == 2);
    CHECK(tg.deflected == 1);
    const auto& tg2 = row(r, "tg2");
    CHECK(tg2.inbound == 3);
    CHECK(tg2.outbound == 0);
    CHECK(tg2.inquiries == 3);
    CHECK_FALSE(tg2.first_response.median);
    CHECK(tg2.abandoned == 2);
    CHECK(tg2.abandon_rate == Approx(1.0));
    CHECK(tg2.sla_rate == Approx(0.0));
    CHECK(tg2.resolved == 1);
    CHECK(tg2.backlog == 2);
  }

  SECTION("by agent: replies to who sent them, inquiries to their first responder or the assignee")
  {
    auto r = b.report(ReportBy::agent);
    REQUIRE(r.rows.size() == 5);
    CHECK(r.rows[0].group == "(none)");  // C, D, E: unanswered and unassigned
    CHECK(r.rows[0].inquiries == 3);
    CHECK(r.rows[0].inbound == 3);
    CHECK(r.rows[0].backlog == 3);
    const auto& ann = row(r, "ann");
    CHECK(ann.outbound == 4);
    CHECK(ann.inquiries == 1);
    CHECK(ann.inbound == 3);
    CHECK(ann.reply.count == 3);         // A 100, A 300, H 300
    CHECK(ann.reply.median == 300);
    const auto& bob = row(r, "bob");
    CHECK(bob.outbound == 2);
    CHECK(bob.inquiries == 2);
    CHECK(bob.first_response.median == 0);
    CHECK(bob.first_response.p90 == 600);
    CHECK(bob.sla_met == 1);
    const auto& bot = row(r, "bot");
    CHECK(bot.outbound == 3);
    CHECK(bot.bot_replies == 3);
    CHECK(bot.inquiries == 3);
    CHECK(bot.inbound == 5);
    CHECK(bot.bot_answered == 2);
  }

  SECTION("by day (UTC)")
  {
    auto r = b.report(ReportBy::day);
    REQUIRE(r.rows.size() == 3);
    CHECK(r.rows[0].group == "2026-11-18");
    CHECK(r.rows[0].inquiries == 8);
    CHECK(r.rows[0].inbound == 12);
    CHECK(r.rows[0].backlog == 2);
    CHECK(r.rows[1].group == "2026-11-19");
    CHECK(r.rows[1].inbound == 1);
    CHECK(r.rows[1].inquiries == 1);
    CHECK(r.rows[1].backlog == 1);
    CHECK(r.rows[1].sla_decided == 0);
    CHECK_FALSE(r.rows[1].sla_rate);
  }

  SECTION("a window: inquiries by arrival, followed up to now")
  {
    // [4000, 5500): C and A's return; A's answer at 5600 comes after the window but still answers it.
    auto r = b.report(ReportBy::account, k_day0 + 4000, k_day0 + 5500);
    const auto& t = r.rows.back();
    CHECK(t.inquiries == 2);
    CHECK(t.inbound == 2);
    CHECK(t.outbound == 0);
    CHECK(t.conversations == 2);
    CHECK(t.first_response.count == 1);
    CHECK(t.first_response.median == 600);
    CHECK(t.abandoned == 1);
    CHECK(t.resolved == 2);
    CHECK(t.backlog == 3);               // now, whatever the window
  }

  SECTION("--sla moves answers between in time and late")
  {
    auto r = b.report(ReportBy::account, 0, k_report_now, 600);
    CHECK(r.rows.back().sla_met == 6);
    CHECK(r.rows.back().abandoned == 2);
    auto tight = b.report(ReportBy::account, 0, k_report_now, 4);
    CHECK(tight.rows.back().sla_met == 2);  // 0 and 2
    CHECK(tight.rows.back().sla_decided == 9);  // E, 60 s old, has missed a 4 s target too
    CHECK(tight.rows.back().abandoned == 3);
  }
}

TEST_CASE("history::report_definitions: every field of a row is defined, once", "[history][report]")
{
  Built b;
  history::ReportOptions o;
  o.now = o.until = k_report_now;
  auto r = history::compute_report(b.rows, o);
  auto defs = history::report_definitions();
  for (const auto& x : r.rows) {
    auto j = history::report_row_json(x, o);
    CHECK(j.size() == defs.size());
    for (const auto& item : j.items()) {
      const std::string key = item.key();
      INFO(key);
      CHECK(std::count_if(defs.begin(), defs.end(), [&](const auto& d) { return d.name == key; }) == 1);
    }
  }
  auto text = history::report_definitions_text(80);
  for (const auto& d : defs) {
    CHECK(text.find("  " + std::string(d.name) + " (") != std::string::npos);
    CHECK(d.definition.size() > 20);
  }
}

TEST_CASE("history::compute_report: an empty history", "[history][report]")
{
  history::ReportOptions o;
  o.now = o.until = k_report_now;
  auto r = history::compute_report({}, o);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].inquiries == 0);
  CHECK_FALSE(r.rows[0].sla_rate);
  CHECK(history::report_row_json(r.rows[0], o).at("first_response_median_s").is_null());
}

}  // namespace history_test_report
