// Replay from a real state file: conversations pulled, answered and resolved at known times become
// inquiries (lib/svc/store/simulation_source), then arrivals with their own handling times; one agent
// replaying them gives waits worked out by hand.
#include "sim_test_util.hpp"

#include <unistd.h>

#include <filesystem>

#include <sqlite3.h>

#include <svc/simulate/history.hpp>
#include <svc/simulate/settings.hpp>
#include <svc/store/simulation_source.hpp>
#include <svc/store/store.hpp>

namespace simulate_test_replay_store {

using namespace svc;
using namespace svc::simulate;
using namespace svc::simulate::test;

namespace {

constexpr UnixTime k_t0 = 1795000000;

struct History {
  std::filesystem::path dir;
  FixedClock clock{k_t0};
  std::unique_ptr<store::Store> st;
  domain::Account account;

  History()
  {
    std::string templ = (std::filesystem::temp_directory_path() / "svc-sim-XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    dir = templ;
    store::OpenOptions o;
    o.path = dir / "state.db";
    o.clock = &clock;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    st = std::move(*opened);
    domain::Account a;
    a.name = "tg";
    a.platform = domain::Platform::telegram;
    a.token = {domain::SecretRef::Source::env, "TG_TOKEN"};
    auto bound = st->accounts().bind(a, false);
    REQUIRE(bound.has_value());
    account = *bound;
  }
  ~History()
  {
    st.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  // A message of user `user` at k_t0 + at: from the customer (in) or an agent's reply (out).
  void message(const std::string& user, UnixTime at, domain::Direction direction)
  {
    static int n = 0;
    domain::InboundMessage m;
    m.direction = direction;
    m.platform_message_id = user + ":" + std::to_string(++n);
    m.thread_key = user;
    m.author.id = user;
    m.author.name = "user " + user;
    if (direction == domain::Direction::out)
      m.agent = "ann";
    m.text = "hello";
    m.created_at = k_t0 + at;
    m.raw = {{"id", n}};
    clock.set(k_t0 + at);
    auto r = st->messages().ingest(account, "updates", {m}, m.platform_message_id, store::Via::pull);
    REQUIRE(r.has_value());
  }
  void resolve(const std::string& user, UnixTime at)
  {
    store::ConversationFilter f;
    f.status = "all";
    auto list = st->conversations().list(f);
    REQUIRE(list.has_value());
    for (const auto& c : *list)
      if (c.contact_platform_id == user) {
        clock.set(k_t0 + at);
        REQUIRE(st->workflow().set_status(c.id, "resolved", "ann"));
        return;
      }
    FAIL("no conversation of " << user);
  }
  void tag_vip(const std::string& user)
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "state.db").c_str(), &db) == SQLITE_OK);
    const std::string sql = "INSERT INTO tags (name, created_at) VALUES ('vip', 0);"
                            "INSERT INTO contact_tags (contact_id, tag_id, created_at)"
                            " SELECT c.id, t.id, 0 FROM contacts c, tags t WHERE c.platform_user_id = '" + user +
                            "' AND t.name = 'vip';";
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
};

// A (user 1) at 0, answered at 5, resolved at 65: 60 s of handling. B (user 2, VIP) at 10, answered
// at 20, resolved at 70: 50 s. D (user 3) at 40, answered at 45, resolved at 50: 5 s. C (user 1
// again, after the resolution) at 100, answered at 101, resolved at 131: 30 s. E (user 4) at 200,
// never answered, resolved at 260: gave up after 60 s. Messages inside an inquiry are part of it.
void
fill(History& h)
{
  using domain::Direction;
  h.message("1", 0, Direction::in);
  h.message("1", 3, Direction::in);  // a second message while waiting: the same inquiry
  h.message("1", 5, Direction::out);
  h.message("2", 10, Direction::in);
  h.message("2", 20, Direction::out);
  h.message("3", 40, Direction::in);
  h.message("3", 45, Direction::out);
  h.resolve("3", 50);
  h.resolve("1", 65);
  h.resolve("2", 70);
  h.message("1", 100, Direction::in);
  h.message("1", 101, Direction::out);
  h.resolve("1", 131);
  h.message("4", 200, Direction::in);
  h.resolve("4", 260);
  h.tag_vip("2");
  h.clock.set(k_t0 + 1000);
}

} // namespace

TEST_CASE("store::simulation_source: inquiries of a history", "[simulate][store]")
{
  History h;
  fill(h);
  auto rows = store::simulation_source(*h.st)->inquiries(k_t0, k_t0 + 1000, "vip");
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == 5);
  const auto& r = *rows;
  CHECK(r[0].arrived_at == k_t0);
  CHECK(r[0].answered_at == k_t0 + 5);
  CHECK(r[0].resolved_at == k_t0 + 65);
  CHECK(r[1].arrived_at == k_t0 + 10);
  CHECK(r[1].vip);
  CHECK_FALSE(r[0].vip);
  CHECK(r[2].arrived_at == k_t0 + 40);
  CHECK(r[3].arrived_at == k_t0 + 100);
  CHECK(r[3].contact == r[0].contact);  // the returning customer
  CHECK(r[3].conversation_id == r[0].conversation_id);
  CHECK(r[1].contact != r[0].contact);
  CHECK(r[4].arrived_at == k_t0 + 200);
  CHECK_FALSE(r[4].answered_at);
  CHECK(r[4].resolved_at == k_t0 + 260);
  CHECK(r[0].channel == "dm");

  // A window that starts later leaves out what arrived before it.
  auto later = store::simulation_source(*h.st)->inquiries(k_t0 + 50, k_t0 + 1000, "vip");
  REQUIRE(later.has_value());
  CHECK(later->size() == 2);
}

TEST_CASE("simulate: replay of a history with a known answer", "[simulate][store]")
{
  History h;
  fill(h);
  Settings s;
  s.agents = 1;
  s.replay = true;
  s.since = "1000s";
  s.handle = "empirical";
  s.warmup = "0";
  auto window = history_window(s, h.clock.now());
  REQUIRE(window.has_value());
  StateInputs state;
  state.since = window->first;
  state.until = window->second;
  auto rows = store::simulation_source(*h.st)->inquiries(state.since, state.until, "vip");
  REQUIRE(rows.has_value());
  state.inquiries = *rows;
  auto model = build_model(s, state);
  REQUIRE(model.has_value());
  CHECK(model->duration_s == 1000);
  REQUIRE(model->arrivals.trace.size() == 5);

  // One agent: A 0-60; B waits 50 (60-110); D waits 70 (110-115); C waits 15 (115-145); E at 200
  // finds the agent free. Waits 0, 50, 70, 15, 0.
  const PolicyRun run = run_one(*model);
  const Figures& v = run.overall.value;
  CHECK(v.offered == 5);
  CHECK(v.answered == 5);
  CHECK(v.mean_wait_s == Approx((50 + 70 + 15) / 5.0));
  CHECK(v.p_wait == Approx(3.0 / 5));
  CHECK(v.service_level == Approx(2.0 / 5 + 1.0 / 5));  // 0, 15 and 0 within 20 s
  CHECK(v.max_queue == 2);
  CHECK(v.wait_p99_s == Approx(70).epsilon(0.01));
  // E's own handling time is unknown (never answered): drawn from the others' (60, 50, 5, 30).
  const double e = v.occupancy * 1000 - 145;
  CHECK((e == Approx(60) || e == Approx(50) || e == Approx(5) || e == Approx(30)));

  // The same history, replayed twice, is the same run.
  const PolicyRun again = run_one(*model);
  CHECK(again.overall.value.occupancy == v.occupancy);
}

TEST_CASE("simulate: empirical handling time and patience from a history", "[simulate][store]")
{
  History h;
  fill(h);
  auto rows = store::simulation_source(*h.st)->inquiries(k_t0, k_t0 + 1000, "vip");
  REQUIRE(rows.has_value());
  auto handle = empirical_handle(*rows);
  REQUIRE(handle.has_value());
  CHECK(handle->values == std::vector<double>{5, 30, 50, 60});
  CHECK(handle->mean == Approx((5 + 30 + 50 + 60) / 4.0));
  // Kaplan-Meier: the answered are censored at their waits (5, 10, 5, 1); E gave up at 60 with
  // nobody else still at risk: all the mass goes there.
  auto patience = empirical_patience(*rows, k_t0 + 1000);
  REQUIRE(patience.has_value());
  CHECK(patience->values == std::vector<double>{60});
  CHECK(patience->cumulative == std::vector<double>{1});

  // Without any give-up there is nothing to estimate from.
  std::vector<store::InquiryRow> answered(rows->begin(), rows->begin() + 4);
  CHECK_FALSE(empirical_patience(answered, k_t0 + 1000).has_value());
}

}  // namespace simulate_test_replay_store
