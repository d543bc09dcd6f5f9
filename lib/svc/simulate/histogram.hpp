// Waiting times in a fixed-size log-linear histogram (the HdrHistogram layout): exact to 1/1024 s
// below 0.25 s, then 128 buckets per doubling, so a percentile is within 0.4% of the true value, from
// 46 KB of counts (allocated on the first value) whatever the number of conversations. Histograms of replications merge by addition.
#pragma once

#include <vector>
#include <cstdint>

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

  static int bucket_of(double seconds);
  static double lower_of(int bucket);   // seconds
  static double upper_of(int bucket);

private:
  std::vector<std::uint64_t> m_counts;  // k_buckets counts, allocated on the first add
  std::uint64_t m_total = 0;
};

} // namespace svc::simulate
