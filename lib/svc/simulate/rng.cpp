#include <svc/simulate/rng.hpp>

#include <cmath>
#include <numbers>

namespace svc::simulate {

namespace {

std::uint64_t
splitmix64(std::uint64_t& x)
{
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t k_jump[4] = {0x180ec6d33cfd0abaULL, 0xd5a61266f0c9392cULL, 0xa9582618e03fc9aaULL,
                                     0x39abdc4529b1661cULL};
constexpr std::uint64_t k_long_jump[4] = {0x76e15d3efefdcbbfULL, 0xc5004e441c522fb3ULL, 0x77710069854ee241ULL,
                                          0x39109bb02acbe635ULL};

constexpr double k_zig_r = 7.69711747013104972;     // where the tail starts
constexpr double k_zig_v = 3.949659822581572e-3;    // each strip's area
constexpr double k_two53 = 9007199254740992.0;

} // namespace

Ziggurat::Ziggurat()
{
  double de = k_zig_r, te = k_zig_r;
  const double q = k_zig_v / std::exp(-de);
  k[0] = static_cast<std::uint64_t>((de / q) * k_two53);
  k[1] = 0;
  w[0] = q / k_two53;
  w[255] = de / k_two53;
  f[0] = 1;
  f[255] = std::exp(-de);
  for (int i = 254; i >= 1; --i) {
    de = -std::log(k_zig_v / de + std::exp(-de));
    k[i + 1] = static_cast<std::uint64_t>((de / te) * k_two53);
    te = de;
    f[i] = std::exp(-de);
    w[i] = de / k_two53;
  }
}

const Ziggurat k_ziggurat;

// Outside strip i's rectangle: the tail (strip 0), or the wedge under the curve.
double
Rng::exponential_slow(std::size_t i, std::uint64_t j)
{
  for (;;) {
    if (i == 0)
      return k_zig_r - std::log(uniform());
    const double x = static_cast<double>(j) * k_ziggurat.w[i];
    if (k_ziggurat.f[i] + uniform() * (k_ziggurat.f[i - 1] - k_ziggurat.f[i]) < std::exp(-x))
      return x;
    const std::uint64_t u = next();
    i = static_cast<std::size_t>(u & 255);
    j = u >> 11;
    if (j < k_ziggurat.k[i])
      return static_cast<double>(j) * k_ziggurat.w[i];
  }
}

Rng::Rng(std::uint64_t seed)
{
  for (auto& s : m_s)
    s = splitmix64(seed);
}

double
Rng::normal()
{
  const double u1 = uniform();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

void
Rng::jump_by(const std::uint64_t (&table)[4])
{
  std::uint64_t s[4] = {0, 0, 0, 0};
  for (std::uint64_t word : table)
    for (int b = 0; b < 64; ++b) {
      if (word & (std::uint64_t{1} << b))
        for (int i = 0; i < 4; ++i)
          s[i] ^= m_s[i];
      next();
    }
  for (int i = 0; i < 4; ++i)
    m_s[i] = s[i];
}

void
Rng::jump()
{
  jump_by(k_jump);
}

void
Rng::long_jump()
{
  jump_by(k_long_jump);
}

Rng
stream(std::uint64_t seed, int replication, Purpose purpose)
{
  Rng rng(seed);
  for (int r = 0; r < replication; ++r)
    rng.long_jump();
  for (int p = 0; p < static_cast<int>(purpose); ++p)
    rng.jump();
  return rng;
}

} // namespace svc::simulate
