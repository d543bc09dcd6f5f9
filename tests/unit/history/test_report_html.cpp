// The HTML page of `svc report --html`: self-contained, with its charts, and hostile names escaped.
#include <svc/history/report.hpp>
#include <svc/history/report_html.hpp>
#include <svc/store/report_source.hpp>

#include "test_report_fixture.hpp"

namespace history_test_report_html {

using namespace svc;
using namespace svc::test;

TEST_CASE("history::render_report_html", "[history][report]")
{
  TempDir dir;
  ReportHistoryBuilder h(dir / "state.db");
  const std::string hostile = "<script>alert('x')</script>&\"";
  h.pulled("tg", "a", 1000);
  h.pulled("tg", "a", 1060, hostile);  // an agent name as the platform reported it
  h.pulled("tg", "b", 90000);
  h.sent("tg", "b", 90030, "ann");
  h.clock.set(k_day0 + 100000);
  auto rows = store::report_source(*h.st)->history();
  REQUIRE(rows.has_value());

  history::ReportOptions o;
  o.by = history::ReportBy::agent;
  o.now = o.until = k_day0 + 100000;
  auto day = o;
  day.by = history::ReportBy::day;
  auto main = history::compute_report(*rows, o);
  auto by_day = history::compute_report(*rows, day);
  std::string page = history::render_report_html({main, by_day, main, o});

  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<svg") != std::string::npos);
  CHECK(page.find("Messages per day") != std::string::npos);
  CHECK(page.find("2026-11-18") != std::string::npos);
  CHECK(page.find("2026-11-19") != std::string::npos);
  CHECK(page.find("First response time distribution") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;") != std::string::npos);
  // Self-contained: nothing is fetched (the SVG namespace is an identifier, not a request).
  std::string stripped = page;
  for (std::string ns = "xmlns=\"http://www.w3.org/2000/svg\""; stripped.find(ns) != std::string::npos;)
    stripped.erase(stripped.find(ns), ns.size());
  CHECK(stripped.find("http://") == std::string::npos);
  CHECK(stripped.find("https://") == std::string::npos);
  CHECK(stripped.find(" src=") == std::string::npos);
}

TEST_CASE("history::html_escape", "[history][report]")
{
  CHECK(history::html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(history::html_escape("客服 ok") == "客服 ok");
}

}  // namespace history_test_report_html
