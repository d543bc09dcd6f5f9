#include <svc/simulate/histogram.hpp>

#include <cmath>

namespace svc::simulate {

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
