#include <svc/simulate/histogram.hpp>

#include <bit>
#include <cmath>

namespace svc::simulate {

int
Histogram::bucket_of(double seconds)
{
  constexpr double k_max_units = 0x1.0p52;
  const double scaled = seconds / k_unit;
  if (!(scaled > 0))  // 0, negative rounding noise, NaN
    return 0;
  const auto units = static_cast<std::uint64_t>(scaled < k_max_units ? scaled : k_max_units - 1);
  if (units < 2 * k_sub)
    return static_cast<int>(units);
  const int shift = std::bit_width(units) - 8;  // keeps the top 8 bits: 128..255
  const auto top = static_cast<int>(units >> shift);
  return 2 * k_sub + (shift - 1) * k_sub + (top - k_sub);
}

double
Histogram::lower_of(int bucket)
{
  if (bucket < 2 * k_sub)
    return bucket * k_unit;
  const int shift = (bucket - 2 * k_sub) / k_sub + 1;
  const int top = (bucket - 2 * k_sub) % k_sub + k_sub;
  return std::ldexp(static_cast<double>(top), shift) * k_unit;
}

double
Histogram::upper_of(int bucket)
{
  if (bucket < 2 * k_sub)
    return (bucket + 1) * k_unit;
  const int shift = (bucket - 2 * k_sub) / k_sub + 1;
  const int top = (bucket - 2 * k_sub) % k_sub + k_sub;
  return std::ldexp(static_cast<double>(top + 1), shift) * k_unit;
}

void
Histogram::merge(const Histogram& other)
{
  if (!other.m_counts.empty()) {
    if (m_counts.empty())
      m_counts.assign(k_buckets, 0);
    for (std::size_t i = 0; i < m_counts.size(); ++i)
      m_counts[i] += other.m_counts[i];
  }
  m_total += other.m_total;
}

double
Histogram::quantile(double q) const
{
  if (m_total == 0 || m_counts.empty())
    return 0;
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(m_total)));
  if (rank < 1)
    rank = 1;
  std::uint64_t seen = 0;
  for (int b = 0; b < k_buckets; ++b) {
    seen += m_counts[static_cast<std::size_t>(b)];
    if (seen >= rank)
      return b == 0 ? 0.0 : (lower_of(b) + upper_of(b)) / 2;
  }
  return upper_of(k_buckets - 1);
}

} // namespace svc::simulate
