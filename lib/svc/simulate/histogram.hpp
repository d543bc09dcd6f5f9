// Waiting times in a fixed-size log-linear histogram (the HdrHistogram layout): exact to 1/1024 s
// below 0.25 s, then 128 buckets per doubling, so a percentile is within 0.4% of the true value, from
// 46 KB of counts (allocated on the first value) whatever the number of conversations. Histograms of replications merge by addition.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace svc::simulate {

class Histogram
{
public:
  static constexpr int k_sub = 128;                        // buckets per doubling
  static constexpr double k_unit = 1.0 / 1024;             // seconds per count of the finest bucket
  static constexpr int k_doublings = 44;                   // up to 2^52 units (about 140 years)
  static constexpr int k_buckets = 2 * k_sub + k_doublings * k_sub;

  void add(double seconds)
  {
    if (m_counts.empty())
      m_counts.assign(k_buckets, 0);
    ++m_counts[static_cast<std::size_t>(bucket_of(seconds))];
    ++m_total;
  }
  void merge(const Histogram& other);
  // Gives the counts' memory back (what was added is forgotten; the total stays).
  void release() { std::vector<std::uint64_t>().swap(m_counts); }
  std::uint64_t total() const { return m_total; }
  // The q-quantile (0 < q <= 1) of what was added, 0 when nothing was: the middle of the bucket that
  // holds the ceil(q * total)-th smallest value (0 for the finest bucket, [0, 1/1024 s)).
  double quantile(double q) const;

  // Inline: the simulator files every answered conversation's wait.
  static int bucket_of(double seconds)
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
  static double lower_of(int bucket);   // seconds
  static double upper_of(int bucket);

private:
  std::vector<std::uint64_t> m_counts;  // k_buckets counts, allocated on the first add
  std::uint64_t m_total = 0;
};

} // namespace svc::simulate
