// skills: the conversation's group first (least-busy among its members). When none of them is
// eligible and the conversation has waited long enough, its group's overflow group, then that group's
// overflow group, and so on. Hop k opens once the wait (now - waiting_since) reaches the sum of the
// overflow_after_s of the k groups before it (a group without overflow_after_s overflows at once); the
// chain stops at a group without overflow, at an overflow group that does not exist, and at a group
// already tried (a cycle). Without a group: least-busy over everyone.
#include <vector>

#include <fmt/format.h>

#include <svc/routing/policies.hpp>
#include <svc/routing/ranking.hpp>

namespace svc::routing {

namespace {

enum class Stop { found, no_overflow, not_yet, missing, cycle };

struct Walk {
  int winner = -1;
  const Group* group = nullptr;  // where the winner is; nobody: the last group tried
  int hops = 0;                  // overflow hops taken to reach `group`
  Stop stop = Stop::found;
  double opens_after = 0;        // the wait at which the next hop opens (cumulative)
};

// Whether `g` is among the first `count` groups of the chain that starts at `first`. Walking the
// chain again is quadratic in its length, which is a handful, and needs no allocation.
bool
tried(const Floor& floor, const Group* first, int count, const Group* g)
{
  const Group* at = first;
  for (int i = 0; i < count && at; ++i) {
    if (at == g)
      return true;
    at = find_group(floor.groups, at->overflow_to);
  }
  return false;
}

// `reached`, when given (explain), receives every group tried, in order.
Walk
walk(const Conversation& conversation,
     const Floor& floor,
     const Ranker& ranker,
     const Group& first,
     std::vector<const Group*>* reached)
{
  const double waited = floor.now - conversation.waiting_since;
  Walk w;
  w.group = &first;
  for (;;) {
    if (reached)
      reached->push_back(w.group);
    w.winner = ranker.best(Scope::of_group(*w.group), Rank::least_busy);
    if (w.winner >= 0) {
      w.stop = Stop::found;
      return w;
    }
    if (w.group->overflow_to.empty()) {
      w.stop = Stop::no_overflow;
      return w;
    }
    w.opens_after += w.group->overflow_after_s.value_or(0);
    if (waited < w.opens_after) {
      w.stop = Stop::not_yet;
      return w;
    }
    const Group* next = find_group(floor.groups, w.group->overflow_to);
    if (!next) {
      w.stop = Stop::missing;
      return w;
    }
    if (tried(floor, &first, w.hops + 1, next)) {
      w.stop = Stop::cycle;
      return w;
    }
    w.group = next;
    ++w.hops;
  }
}

// Every agent's verdict: eligible when a member of the winner's group with capacity; otherwise the
// exclusion, naming every group tried ("not in group sales (lacks skill: billing) nor in group
// support (lacks skill: tier2)").
std::vector<Candidate>
skills_candidates(const Floor& floor, const Walk& w, const std::vector<const Group*>& reached)
{
  std::vector<Candidate> out;
  out.reserve(floor.agents.size());
  for (const auto& a : floor.agents) {
    Candidate c{a.name, false, {}};
    if (!has_capacity(a)) {
      c.reason = exclusion(a, Scope{});
    } else if (w.winner >= 0 && in_group(a, *w.group)) {
      c.eligible = true;
      c.reason = figure(a, Rank::least_busy, floor.now);
      if (w.hops > 0)
        c.reason += fmt::format(" (overflow group {})", w.group->name);
    } else {
      for (std::size_t i = 0; i < reached.size(); ++i)
        c.reason += (i ? " nor in " : "not in ") + shortfall(a, *reached[i]);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string
group_list(const std::vector<const Group*>& groups, std::size_t count)
{
  std::string out;
  for (std::size_t i = 0; i < count; ++i)
    out += (i == 0 ? "" : (i + 1 == count ? " or " : ", ")) + groups[i]->name;
  return out;
}

std::string
skills_why(const Conversation& conversation,
           const Floor& floor,
           const Walk& w,
           const std::vector<const Group*>& reached,
           const std::string& winner)
{
  const double waited = floor.now - conversation.waiting_since;
  const Scope scope = Scope::of_group(*w.group);
  if (w.winner >= 0 && w.hops == 0)
    return fmt::format("{} wins by skills: {}.", winner, ranked_reason(floor, scope, Rank::least_busy, w.winner));
  if (w.winner >= 0)
    return fmt::format("{} wins by skills overflow: no agent of {} was eligible and the conversation waited {:.0f} s "
                       "(overflow to {} after {:.0f} s); {} wins with {}.",
                       winner, group_list(reached, reached.size() - 1), waited, w.group->name, w.opens_after, winner,
                       ranked_reason(floor, scope, Rank::least_busy, w.winner));

  std::string why = w.hops == 0
                      ? fmt::format("nobody: {}", nobody_reason(floor.agents, scope))
                      : fmt::format("nobody: no agent of {} is eligible", group_list(reached, reached.size()));
  switch (w.stop) {
  case Stop::found:
  case Stop::no_overflow:
    if (w.hops > 0)
      why += fmt::format(", and {} has no overflow group", w.group->name);
    break;
  case Stop::not_yet:
    why += fmt::format(", and the overflow to {} opens after {:.0f} s of waiting (waited {:.0f} s)",
                       w.group->overflow_to, w.opens_after, waited);
    break;
  case Stop::missing:
    why += fmt::format(", and the overflow group {} of {} does not exist", w.group->overflow_to, w.group->name);
    break;
  case Stop::cycle:
    why += fmt::format(", and the overflow from {} leads back to {}, so the chain stops", w.group->name,
                       w.group->overflow_to);
    break;
  }
  return why + ".";
}

class Skills final : public Policy
{
public:
  std::string_view name() const override { return "skills"; }

  int pick(const Conversation& conversation, const Floor& floor, const Ranker& ranker) const override
  {
    const Scope scope = scope_of(conversation, floor.groups);
    if (!scope.group)  // no group (everyone) or an unknown one (nobody): no overflow to follow
      return ranker.best(scope, Rank::least_busy);
    return walk(conversation, floor, ranker, *scope.group, nullptr).winner;
  }

  Decision choose(const Conversation& conversation, const Floor& floor, bool explain) const override
  {
    const ScanRanker scan(floor.agents);
    if (!explain)
      return decision_for(floor.agents, pick(conversation, floor, scan));
    const Scope scope = scope_of(conversation, floor.groups);
    if (!scope.group) {
      Decision d = ranked_choice(*this, Rank::least_busy, conversation, floor, explain);
      if (d.agent_id) {
        const int winner = best(floor.agents, scope, Rank::least_busy);
        d.why = fmt::format("{} wins by skills: the conversation has no group, so least-busy over every agent: {}.",
                            d.agent, ranked_reason(floor, scope, Rank::least_busy, winner));
      }
      return d;
    }

    std::vector<const Group*> reached;
    const Walk w = walk(conversation, floor, scan, *scope.group, &reached);
    Decision d = decision_for(floor.agents, w.winner);
    d.candidates = skills_candidates(floor, w, reached);
    d.why = skills_why(conversation, floor, w, reached, d.agent);
    return d;
  }
};

} // namespace

std::unique_ptr<Policy>
make_skills()
{
  return std::make_unique<Skills>();
}

} // namespace svc::routing
