// Random numbers for the simulation: xoshiro256++ (Blackman and Vigna, 2019), fast and with jumps, so
// that one seed gives many non-overlapping streams. A stream is (seed, replication, purpose): purpose
// separates arrivals from handling times from patience, so that two policies run on the same
// replication see the same customers with the same handling times and patience (common random
// numbers), and replication r of any run with that seed is the same.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace svc::simulate {

// The exponential ziggurat's 256 strips (rng.cpp).
struct Ziggurat {
  std::uint64_t k[256];  // j < k[i]: inside strip i's rectangle
  double w[256];         // j * w[i]: the point's x
  double f[256];         // exp(-x) at strip i's edge
  Ziggurat();
};
extern const Ziggurat k_ziggurat;

class Rng
{
public:
  // The state is the seed expanded by splitmix64, as the authors recommend.
  explicit Rng(std::uint64_t seed);

  std::uint64_t next()
  {
    const std::uint64_t result = rotl(m_s[0] + m_s[3], 23) + m_s[0];
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
  }

  // Uniform on the open interval (0, 1): 53 random bits, centred, so log() never sees 0.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  // Exponential with the given mean, by the ziggurat method (Marsaglia and Tsang, 2000): about 99% of
  // draws cost one random number, a table look-up and a multiplication; no log().
  double exponential(double mean) { return mean * standard_exponential(); }
  double standard_exponential()
  {
    const std::uint64_t u = next();
    const auto i = static_cast<std::size_t>(u & 255);
    const std::uint64_t j = u >> 11;  // 53 bits
    if (j < k_ziggurat.k[i]) [[likely]]
      return static_cast<double>(j) * k_ziggurat.w[i];
    return exponential_slow(i, j);
  }

  // Standard normal (Box-Muller; the second value is dropped to keep the stream position simple).
  double normal();

  // Advances by 2^128 draws (jump) or 2^192 draws (long_jump): non-overlapping sub-streams.
  void jump();
  void long_jump();

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  void jump_by(const std::uint64_t (&table)[4]);
  double exponential_slow(std::size_t i, std::uint64_t j);

  std::uint64_t m_s[4];
};

enum class Purpose { arrivals = 0, handling = 1, patience = 2 };

// The stream of `purpose` in replication `replication` (from 0) of a run seeded with `seed`:
// long_jump per replication, jump per purpose.
Rng stream(std::uint64_t seed, int replication, Purpose purpose);

} // namespace svc::simulate
