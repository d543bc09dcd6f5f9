// The simulator's parts: random streams, the ziggurat, the histogram, distributions and the parsers of
// option values.
#include <catch2/catch.hpp>

#include <cmath>

#include <svc/simulate/distribution.hpp>
#include <svc/simulate/figures.hpp>
#include <svc/simulate/histogram.hpp>
#include <svc/simulate/model.hpp>
#include <svc/simulate/rng.hpp>

namespace simulate_test_parts {

using namespace svc;
using namespace svc::simulate;

TEST_CASE("simulate::Rng: exponential draws have the exponential's moments and tail", "[simulate]")
{
  Rng rng(99);
  const int n = 1'000'000;
  double sum = 0, squares = 0;
  int above1 = 0, above5 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.standard_exponential();
    REQUIRE(x >= 0);
    sum += x;
    squares += x * x;
    above1 += x > 1;
    above5 += x > 5;
  }
  const double mean = sum / n;
  CHECK(mean == Approx(1).margin(0.005));                       // sd of the mean: 0.001
  CHECK(squares / n - mean * mean == Approx(1).margin(0.01));   // variance 1
  CHECK(above1 / double(n) == Approx(std::exp(-1.0)).margin(0.0025));
  CHECK(above5 / double(n) == Approx(std::exp(-5.0)).margin(0.0004));  // the tail strip works
  CHECK(rng.exponential(30) > 0);
}

TEST_CASE("simulate::stream: reproducible, and different per replication and purpose", "[simulate]")
{
  Rng a = stream(5, 2, Purpose::handling), b = stream(5, 2, Purpose::handling);
  for (int i = 0; i < 100; ++i)
    REQUIRE(a.next() == b.next());
  Rng c = stream(5, 3, Purpose::handling), d = stream(5, 2, Purpose::patience), e = stream(6, 2, Purpose::handling);
  Rng f = stream(5, 2, Purpose::handling);
  const auto x = f.next();
  CHECK(c.next() != x);
  CHECK(d.next() != x);
  CHECK(e.next() != x);
  // Uniform draws stay inside (0, 1).
  for (int i = 0; i < 1000; ++i) {
    const double u = a.uniform();
    REQUIRE(u > 0);
    REQUIRE(u < 1);
  }
}

TEST_CASE("simulate::Histogram: percentiles within the bucket width", "[simulate]")
{
  Histogram h;
  CHECK(h.quantile(0.5) == 0);
  for (int i = 1; i <= 10000; ++i)
    h.add(i * 0.1);  // 0.1 .. 1000 s
  CHECK(h.total() == 10000);
  CHECK(h.quantile(0.5) == Approx(500).epsilon(0.005));
  CHECK(h.quantile(0.9) == Approx(900).epsilon(0.005));
  CHECK(h.quantile(0.99) == Approx(990).epsilon(0.005));
  CHECK(h.quantile(1.0) == Approx(1000).epsilon(0.005));
  Histogram zeros;
  zeros.add(0);
  zeros.add(0);
  zeros.add(7);
  CHECK(zeros.quantile(0.5) == 0);
  CHECK(zeros.quantile(0.99) == Approx(7).epsilon(0.005));
  h.merge(zeros);
  CHECK(h.total() == 10003);
  // Every bucket's bounds are contiguous and increasing; huge values land in the last bucket.
  for (int b = 1; b < Histogram::k_buckets; ++b)
    REQUIRE(Histogram::lower_of(b) == Histogram::upper_of(b - 1));
  CHECK(Histogram::bucket_of(1e30) == Histogram::k_buckets - 1);
  CHECK(Histogram::bucket_of(-1) == 0);
}

TEST_CASE("simulate::parse_distribution", "[simulate]")
{
  auto e = parse_distribution("exp:4m", "--handle", false);
  REQUIRE(e.has_value());
  CHECK(e->kind == Distribution::Kind::exponential);
  CHECK(e->mean == 240);
  CHECK(e->describe() == "exp:4m");
  auto l = parse_distribution("lognormal:4m,2m", "--handle", false);
  REQUIRE(l.has_value());
  CHECK(l->describe() == "lognormal:4m,2m");
  Rng rng(3);
  double sum = 0;
  for (int i = 0; i < 200000; ++i)
    sum += l->sample(rng);
  CHECK(sum / 200000 == Approx(240).epsilon(0.01));  // the mean given, not the normal's
  CHECK(parse_distribution("none", "--patience", true)->kind == Distribution::Kind::none);
  CHECK(parse_distribution("fixed:90s", "--patience", true)->sample(rng) == 90);
  CHECK(parse_distribution("empirical", "--handle", false)->wants_history);

  for (const char* bad : {"exp", "exp:", "exp:0", "exp:4x", "gamma:4m", "lognormal:4m", "4m"}) {
    auto r = parse_distribution(bad, "--handle", false);
    INFO(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
  }
  auto none = parse_distribution("none", "--handle", false);
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().message == "--handle cannot be none");
}

TEST_CASE("simulate::empirical: resampled, with the rest of the mass as never", "[simulate]")
{
  const Distribution d = empirical({30, 10, 20});
  CHECK(d.values == std::vector<double>{10, 20, 30});
  CHECK(d.mean == Approx(20));
  CHECK(d.sample_empirical(0.1) == 10);
  CHECK(d.sample_empirical(0.5) == 20);
  CHECK(d.sample_empirical(0.99) == 30);
  const Distribution km = empirical_steps({60, 120}, {0.25, 0.5});
  CHECK(km.sample_empirical(0.2) == 60);
  CHECK(km.sample_empirical(0.4) == 120);
  CHECK(km.sample_empirical(0.7) == k_never);
}

TEST_CASE("simulate: option values", "[simulate]")
{
  CHECK(*parse_arrival_rate("120/h") == Approx(120.0 / 3600));
  CHECK(*parse_arrival_rate("2/m") == Approx(2.0 / 60));
  CHECK_FALSE(parse_arrival_rate("0/h").has_value());
  CHECK_FALSE(parse_arrival_rate("fast").has_value());

  auto t = parse_target("80/20s");
  REQUIRE(t.has_value());
  CHECK(t->share == Approx(0.8));
  CHECK(t->within_s == 20);
  CHECK(parse_target("90%/1m")->within_s == 60);
  for (const char* bad : {"80", "80/", "0/20s", "120/20s", "x/20s", "80/20q"})
    CHECK_FALSE(parse_target(bad).has_value());

  CHECK(*parse_warmup("10%", 1000) == Approx(100));
  CHECK(*parse_warmup("30m", 1000) == 1800);  // validate() refuses it against the duration
  CHECK_FALSE(parse_warmup("100%", 1000).has_value());
  CHECK_FALSE(parse_warmup("ten", 1000).has_value());

  CHECK(*parse_slowdown("1,1.25,1.5") == std::vector<double>{1, 1.25, 1.5});
  CHECK_FALSE(parse_slowdown("1,,2").has_value());
  CHECK_FALSE(parse_slowdown("1,0").has_value());

  auto s = parse_shift("22:00-06:00");
  REQUIRE(s.has_value());
  CHECK(s->start_s == 22 * 3600);
  CHECK(s->end_s == 6 * 3600);
  CHECK(parse_shift("08:00-24:00")->end_s == 86400);
  for (const char* bad : {"8-16", "08:00", "08:00-08:00", "25:00-26:00", "08:60-09:00"})
    CHECK_FALSE(parse_shift(bad).has_value());
}

TEST_CASE("simulate::validate: what cannot run", "[simulate]")
{
  Model m;
  m.arrivals.rate_per_s = 1;
  auto refused = [&](const std::string& part) {
    auto r = validate(m);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK_THAT(r.error().message, Catch::Contains(part));
  };
  refused("no agents");
  m.agents = {{"a", {}, 1, {}}, {"a", {}, 1, {}}};
  refused("two agents are called 'a'");
  m.agents[1].name = "b";
  REQUIRE(validate(m).has_value());
  m.warmup_s = m.duration_s;
  refused("warm-up");
  m.warmup_s = 0;
  m.arrivals.mix = {{"sales", 1}};
  refused("group 'sales'");
  m.groups = {{"sales", {}, "", std::nullopt}};
  m.arrivals.mix = {{"sales", 0.5}};
  refused("adds up to 0.5");
}

TEST_CASE("simulate::t975", "[simulate]")
{
  CHECK(t975(1) == Approx(12.706));
  CHECK(t975(9) == Approx(2.262));
  CHECK(t975(60) == Approx(2.0003).margin(0.001));
  CHECK(t975(100000) == Approx(1.96).margin(0.001));
}

}  // namespace simulate_test_parts
