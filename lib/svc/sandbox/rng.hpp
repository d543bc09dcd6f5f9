// A small deterministic random generator (splitmix64). The world and the faults must be the same for
// the same seed on every platform and standard library, which rules out std::uniform_*_distribution
// (their algorithms are implementation-defined).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace svc::sandbox {

class Rng
{
public:
  explicit Rng(std::uint64_t seed) : m_state(seed) {}

  std::uint64_t next()
  {
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n must be positive. The modulo bias is irrelevant at these sizes.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi)
  {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return p > 0 && unit() < p; }

  template <class Container>
  const auto& pick(const Container& c)
  {
    return c[below(c.size())];
  }

  // `n` characters drawn from `alphabet`.
  std::string chars(std::string_view alphabet, std::size_t n)
  {
    std::string s;
    s.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      s.push_back(alphabet[below(alphabet.size())]);
    }
    return s;
  }

private:
  std::uint64_t m_state;
};

inline constexpr std::string_view k_alnum =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view k_hex = "0123456789abcdef";
inline constexpr std::string_view k_digits = "0123456789";

} // namespace svc::sandbox
