// The split candidate scan (lib/svc/store/search_scan.hpp): a search whose scan is split by id, the
// older half read in a thread on a second connection, visits exactly what the single statement visits:
// the same messages in the same order with the same scores, in every order, with a filter, with the
// rank windows of 1,000 crossing the split, and when the caller stops early.
#include <limits>
#include <utility>

#include <svc/store/search_index.hpp>

#include "store_test_util.hpp"

namespace store_test_search_scan {

using namespace svc;
using namespace svc::test;

namespace {

using Visits = std::vector<std::pair<std::int64_t, double>>;

struct Fixture : OneAccountStore {

  // 1,500 messages: 1,125 hold 杯子碎了 and 包装 (ranked matches beyond one window of 1,000), of
  // varied lengths so that their bm25 scores differ; some hold only one of the two, or a look-alike.
  void fill()
  {
    const std::vector<std::string> tails = {"", "谢谢", "请尽快处理，谢谢", "Box damaged, OK?", "订单号 SO123 已经三天了"};
    for (int page = 0; page < 15; ++page) {
      std::vector<domain::InboundMessage> messages;
      for (int i = 0; i < 100; ++i) {
        int n = page * 100 + i;
        std::string text = n % 4 == 0   ? "杯子碎了，包装也破了"
                           : n % 4 == 1 ? "包装好好的，杯子碎了"
                           : n % 4 == 2 ? "杯子碎了，包装呢"
                           : n % 8 == 3 ? "杯子碎裂了" : "包装 ok";
        text += tails[static_cast<std::size_t>(n) % tails.size()];
        domain::InboundMessage m;
        m.platform_message_id = std::to_string(n);
        m.thread_key = "u" + std::to_string(n % 40);
        m.author.id = m.thread_key;
        m.author.name = "Customer";
        m.text = text;
        m.created_at = 1794000000 + n;
        messages.push_back(m);
      }
      auto r = store->messages().ingest(account, "updates", messages, std::to_string(page), store::Via::pull);
      REQUIRE(r.has_value());
    }
  }

  Visits visits(std::int64_t split_ids, const std::vector<std::string>& terms, store::SearchOrder order,
                store::SearchFilter filter = {}, std::size_t stop_after = 0)
  {
    Visits out;
    auto index = store::search_index(*store, store::SearchTuning{split_ids});
    auto r = index->messages(terms, filter, order, [&](const store::SearchHit& h) {
      out.emplace_back(h.id, h.score);
      return stop_after == 0 || out.size() < stop_after;
    });
    REQUIRE(r.has_value());
    return out;
  }
};

constexpr std::int64_t k_never = std::numeric_limits<std::int64_t>::max();

} // namespace

TEST_CASE("a split search scan visits what one statement visits", "[store][search]")
{
  Fixture f;
  f.fill();
  using store::SearchOrder;
  const std::vector<std::vector<std::string>> queries = {
    {"杯子碎了", "包装"},   // a narrowed CJK term with a short one: ranked, more than one window
    {"包装"},              // a short term alone: a scan of the text
    {"包装", "ok"},        // a short Latin term: LIKE
    {"碎了", "谢谢"},      // two short terms
    {"damaged", "包装"},   // a Latin word with a short CJK term
    {"好好的", "狗"},       // nothing
  };
  for (const auto& terms : queries)
    for (auto order : {SearchOrder::rank, SearchOrder::newest, SearchOrder::oldest}) {
      INFO(terms.front() << " / " << terms.back() << ", order " << static_cast<int>(order));
      auto whole = f.visits(k_never, terms, order);
      CHECK(f.visits(2, terms, order) == whole);
      store::SearchFilter after;
      after.after_id = 400;
      CHECK(f.visits(2, terms, order, after) == f.visits(k_never, terms, order, after));
      CHECK(f.visits(2, terms, order, {}, 7) == f.visits(k_never, terms, order, {}, 7));
    }
  // The queries above are not vacuous: the ranked one spans two windows and both halves of the ids.
  auto ranked = f.visits(2, {"杯子碎了", "包装"}, SearchOrder::rank);
  REQUIRE(ranked.size() == 1125);
  CHECK(f.visits(2, {"包装"}, SearchOrder::newest).size() == 1312);
  bool scored = false;
  for (std::size_t i = 1; i < ranked.size(); ++i)
    scored = scored || ranked[i].second != ranked[0].second;
  CHECK(scored);
}

} // namespace store_test_search_scan
