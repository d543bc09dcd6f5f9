// The policy table: one row per name, the only place that knows every policy.
#include <array>

#include <fmt/format.h>

#include <svc/routing/policies.hpp>

namespace svc::routing {

namespace {

struct Entry {
  std::string_view name;
  std::unique_ptr<Policy> (*make)();
};

constexpr std::array k_policies{
  Entry{"round-robin", make_round_robin}, Entry{"least-busy", make_least_busy},
  Entry{"idle-rate", make_idle_rate},     Entry{"sticky", make_sticky},
  Entry{"skills", make_skills},           Entry{"priority", make_priority},
};

constexpr std::array<std::string_view, k_policies.size()> k_names = [] {
  std::array<std::string_view, k_policies.size()> names{};
  for (std::size_t i = 0; i < k_policies.size(); ++i)
    names[i] = k_policies[i].name;
  return names;
}();

} // namespace

std::span<const std::string_view>
policy_names()
{
  return k_names;
}

Result<std::unique_ptr<Policy>>
make_policy(std::string_view name)
{
  for (const auto& entry : k_policies)
    if (entry.name == name)
      return entry.make();
  return make_error(ErrorKind::usage, "unknown routing policy '{}'", name)
    .with_hint(fmt::format("use one of: {}", fmt::join(k_names, ", ")));
}

} // namespace svc::routing
