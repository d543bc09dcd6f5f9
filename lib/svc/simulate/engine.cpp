#include <svc/simulate/engine.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include <svc/routing/agent_index.hpp>
#include <svc/routing/eligibility.hpp>
#include <svc/simulate/rng.hpp>

namespace svc::simulate {

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

// An event in a heap: its time, then a tag (who, and a version to recognise stale entries) that
// breaks ties, so that the order never depends on the heap's history.
struct Timed {
  double at;
  std::uint64_t tag;
};

std::uint64_t
tag_of(std::uint32_t who, std::uint32_t version)
{
  return (std::uint64_t{who} << 32) | version;
}

// A binary min-heap of events, kept in a vector that grows and never shrinks (no allocation in steady
// state). The sifts compare times only (one comparison of doubles; the smaller child is chosen
// without a branch, as which of two siblings is earlier is a coin toss a predictor cannot learn);
// heap_settle() then breaks a tie at the top by the tag before the top is used, so that the events
// come out in (time, tag) order whatever the heap's history. Entries move into a hole instead of
// being swapped; the pop takes the hole down to a leaf along the smaller children and lets the last
// entry rise from there (Floyd: the last entry is a late event, so it rarely rises), which saves a
// comparison per level.
template <class T>
void
heap_push(std::vector<T>& heap, const T& x)
{
  heap.push_back(x);
  T* h = heap.data();
  std::size_t at = heap.size() - 1;
  while (at > 0) {
    const std::size_t parent = (at - 1) / 2;
    if (!(x.at < h[parent].at))
      break;
    h[at] = h[parent];
    at = parent;
  }
  h[at] = x;
}

template <class T>
void
heap_pop(std::vector<T>& heap)
{
  const std::size_t n = heap.size() - 1;  // entries left
  T* h = heap.data();
  const T last = h[n];
  std::size_t at = 0;
  for (;;) {
    std::size_t child = 2 * at + 1;
    if (child + 1 < n)
      child += static_cast<std::size_t>(h[child + 1].at < h[child].at);
    else if (child >= n)
      break;
    h[at] = h[child];
    at = child;
  }
  while (at > 0) {
    const std::size_t parent = (at - 1) / 2;
    if (!(last.at < h[parent].at))
      break;
    h[at] = h[parent];
    at = parent;
  }
  h[at] = last;
  heap.pop_back();
}

// The entry of the lowest tag among those of the top time, in the subtree at i, into `best`.
template <class T>
void
lowest_tag(const T* h, std::size_t n, std::size_t i, std::size_t& best)
{
  if (i >= n || h[i].at != h[0].at)
    return;
  if (h[i].tag < h[best].tag)
    best = i;
  lowest_tag(h, n, 2 * i + 1, best);
  lowest_tag(h, n, 2 * i + 2, best);
}

// Puts the entry of the lowest tag among those of the top time on top. Another entry of that time
// has only such entries above it, so one is a child of the top: in the usual case (none) this costs
// two comparisons, inline; the search is out of line. Swapping two entries of the same time keeps
// the heap ordered.
template <class T>
[[gnu::noinline]] void
heap_settle_tie(std::vector<T>& heap)
{
  T* h = heap.data();
  const std::size_t n = heap.size();
  std::size_t best = 0;
  lowest_tag(h, n, 1, best);
  lowest_tag(h, n, 2, best);
  std::swap(h[0], h[best]);
}

template <class T>
inline void
heap_settle(std::vector<T>& heap)
{
  const T* h = heap.data();
  const std::size_t n = heap.size();
  if (n < 2 || (h[1].at != h[0].at && (n < 3 || h[2].at != h[0].at))) [[likely]]
    return;
  heap_settle_tie(heap);
}

// A heap of events whose top is settled (heap_settle) once after each change rather than at every
// look: the loop looks at every queue's head once per event.
template <class T>
class EventHeap
{
public:
  bool empty() const { return m_heap.empty(); }
  const T& top()
  {
    if (!m_settled) {
      heap_settle(m_heap);
      m_settled = true;
    }
    return m_heap.front();
  }
  double top_time()
  {
    return m_heap.empty() ? k_inf : top().at;
  }
  void push(const T& x)
  {
    heap_push(m_heap, x);
    m_settled = false;
  }
  void pop()
  {
    heap_pop(m_heap);
    m_settled = false;
  }

private:
  std::vector<T> m_heap;
  bool m_settled = false;
};

// A FIFO of customer slots that grows by doubling and never shrinks: no allocation in steady state.
class Ring
{
public:
  bool empty() const { return m_count == 0; }
  std::uint32_t front() const { return m_buf[m_head]; }
  void pop()
  {
    m_head = (m_head + 1) & (m_buf.size() - 1);
    --m_count;
  }
  void push(std::uint32_t x)
  {
    if (m_count == m_buf.size())
      grow();
    m_buf[(m_head + m_count) & (m_buf.size() - 1)] = x;
    ++m_count;
  }

private:
  void grow()
  {
    std::vector<std::uint32_t> bigger(std::max<std::size_t>(16, 2 * m_buf.size()));
    for (std::size_t i = 0; i < m_count; ++i)
      bigger[i] = m_buf[(m_head + i) & (m_buf.size() - 1)];
    m_buf.swap(bigger);
    m_head = 0;
  }

  std::vector<std::uint32_t> m_buf;
  std::size_t m_head = 0;
  std::size_t m_count = 0;
};

// The agents holding at least one chat, by the time their next chat ends: a heap of (time, agent,
// version) entries, the lower agent first on a tie. A re-rated agent gets a new entry and a new
// version; the old entry is dropped when it comes up (cheaper than moving it: most agents are
// re-rated only when a chat starts or ends, which pushes or pops one entry anyway).
class CompletionQueue
{
public:
  explicit CompletionQueue(std::size_t agents) : m_version(agents, 0) {}

  // The earliest live entry's time (stale entries on top are dropped first); top_agent() is its agent.
  double top_time()
  {
    for (;;) {
      if (m_heap.empty())
        return k_inf;
      const Timed& top = m_heap.top();
      if (static_cast<std::uint32_t>(top.tag) == m_version[top.tag >> 32])
        return top.at;
      pop();
    }
  }
  int top_agent() { return static_cast<int>(m_heap.top().tag >> 32); }
  void pop() { m_heap.pop(); }
  void set(int agent, double at)
  {
    const std::uint32_t v = ++m_version[static_cast<std::size_t>(agent)];
    m_heap.push(Timed{at, tag_of(static_cast<std::uint32_t>(agent), v)});
  }
  void remove(int agent) { ++m_version[static_cast<std::size_t>(agent)]; }
  // Another entry for the agent that leaves its others live (a fixed pace: one entry per chat, each
  // scheduled once at assignment and never re-rated).
  void add(int agent, double at)
  {
    m_heap.push(Timed{at, tag_of(static_cast<std::uint32_t>(agent), m_version[static_cast<std::size_t>(agent)])});
  }

private:
  EventHeap<Timed> m_heap;
  std::vector<std::uint32_t> m_version;
};

// A customer in the backlog (a slot of a slab reused through a free list).
struct Customer {
  double arrived = 0;
  double work = 0;                  // handling time at normal speed
  std::int64_t id = 0;              // arrival number: the backlog's tie-break
  std::int64_t contact = 0;
  std::uint32_t generation = 0;     // bumped when the slot is freed: stale abandonments are ignored
  int cls = 0;
  bool alive = false;               // waiting (false once abandoned)
  bool measured = false;
};

// An abandonment's deadline: its time, then the customer's slot and the slot's generation (bumped
// when the slot is freed: a stale deadline is skipped).
struct Deadline : Timed {
  Deadline(double at, std::uint32_t slot, std::uint32_t generation) : Timed{at, tag_of(slot, generation)} {}
  std::uint32_t slot() const { return static_cast<std::uint32_t>(tag >> 32); }
  std::uint32_t generation() const { return static_cast<std::uint32_t>(tag); }
};

// Conversations of one group (or none) and one VIP flag wait in one FIFO: within it the backlog order
// (oldest first, with or without VIP first) is the arrival order, and if its head cannot be assigned
// nobody behind it can (same scope, and a shorter wait for any overflow).
struct Class {
  Ring queue;
  std::uint64_t live = 0;           // alive entries in the queue
  int group = 0;                    // index into the model's groups; groups.size() for none
  bool vip = false;
  bool blocked = false;             // during a dispatch: its head found nobody
  double recheck_at = -k_inf;       // the overflow recheck pending for it
  routing::Conversation head;       // the head as the policy sees it (group name set once)
};

// What the loop keeps of an agent beside the policy's routing::Agent, its tally included: the fields
// an event touches sit together (one struct per agent; the tallies go to Totals at the end).
struct AgentState {
  double vclock = 0;                // work done per chat since the start, at this agent's pace
  double at = 0;                    // when vclock and the occupancy integrals were last brought up
  double factor = 1;                // the slowdown at the current number of chats
  std::size_t chats = 0;            // offset of its chat-end heap in the arena
  int shifts_on = 0;                // shifts in progress (online while > 0, or when it has none)
  AgentTally tally;
};

struct ShiftEvent {
  double at;
  int agent;
  bool on;
};

std::vector<routing::Agent>
make_floor(const Model& model)
{
  std::vector<routing::Agent> floor(model.agents.size());
  for (std::size_t i = 0; i < model.agents.size(); ++i) {
    const auto& spec = model.agents[i];
    auto& a = floor[i];
    a.id = static_cast<std::int64_t>(i + 1);
    a.name = spec.name;
    a.skills = spec.skills;
    a.max_chats = spec.max_chats;
    a.online = spec.shifts.empty();
  }
  return floor;
}

class Engine
{
public:
  Engine(const Model& model, const routing::Policy& policy, int replication);
  Totals run();

private:
  // Events.
  void arrive(double t);
  void complete(int agent, double t);
  void abandon(const Deadline& d, double t);
  void shift(const ShiftEvent& e, double t);
  void dispatch(double t);

  // The usual case (Poisson) inline; the others out of line.
  void schedule_next_arrival(double t)
  {
    const double next = m_poisson ? t + m_arrival_rng.exponential(m_mean_gap) : next_arrival_other(t);
    m_next_arrival = next < m_duration ? next : k_inf;
  }
  double next_arrival_other(double t);
  double next_profile_arrival(double t);
  void assign(const Customer& c, int agent, double t);
  std::uint32_t enqueue(const Customer& c, double t);
  bool prepare_head(Class& k);
  void note_blocked(int cls, double t);
  void advance(int agent, double t);
  void rerate(int agent, double t);
  void free_slot(std::uint32_t slot);
  void fill(routing::Conversation& conv, const Customer& c) const;
  routing::Floor floor(double t) const { return routing::Floor{m_floor, m_model.groups, t}; }
  Tally& group_tally(int cls)
  {
    return m_totals.groups[static_cast<std::size_t>(m_classes[static_cast<std::size_t>(cls)].group)];
  }
  // Shift changes and overflow rechecks are rare: the loop compares one time for both.
  void update_rare()
  {
    const double ts = m_shift_next < m_shifts.size() ? m_shifts[m_shift_next].at : k_inf;
    const double tr = m_rechecks.empty() ? k_inf : m_rechecks.front();
    m_rare_at = std::min(ts, tr);
  }
  void build_shifts();
  void build_thresholds();
  void finish();

  const Model& m_model;
  const routing::Policy& m_policy;
  std::vector<routing::Agent> m_floor;               // what the policy sees
  routing::AgentIndex m_index;
  std::vector<AgentState> m_agents;
  std::vector<double> m_arena;                       // each agent's chat ends (virtual time), a min-heap
  CompletionQueue m_done;
  std::vector<Class> m_classes;
  std::vector<std::vector<double>> m_thresholds;     // per group: cumulative waits at which overflow hops open
  std::vector<Customer> m_slab;
  std::vector<std::uint32_t> m_free;
  EventHeap<Deadline> m_deadlines;
  std::vector<double> m_rechecks;                    // min-heap
  std::vector<ShiftEvent> m_shifts;
  std::size_t m_shift_next = 0;
  std::unordered_map<std::int64_t, int> m_last_served;  // contact -> agent (replayed contacts only)
  std::vector<double> m_mix;                         // cumulative shares
  std::vector<int> m_mix_group;
  std::vector<int> m_trace_group;                    // per trace arrival: its group index
  Rng m_arrival_rng, m_handle_rng, m_patience_rng;
  double m_next_arrival = k_inf;
  std::size_t m_trace_next = 0;
  std::int64_t m_arrivals = 0;
  std::uint64_t m_waiting = 0;
  std::vector<std::uint64_t> m_group_waiting;
  double m_warmup, m_duration, m_horizon;
  double m_mean_gap;                                 // Poisson: 1 / rate
  double m_rare_at = k_inf;                          // the next shift change or recheck (update_rare)
  bool m_poisson;
  bool m_grouped;                                    // the model has groups: tallies per group too
  bool m_slowdown;                                   // some factor is not 1 (else every pace is 1)
  // Every agent's pace is the same whatever it holds (one chat each, or a flat --slowdown): a chat's
  // end is known when it starts, so it is scheduled once (one completion entry per chat), with no
  // virtual clocks or re-rating, and its busy time is counted then (see assign()).
  bool m_fixed_pace;
  double m_pace = 1;                                 // with m_fixed_pace: the factor at any load
  bool m_measuring = false;
  Totals m_totals;
};

Engine::Engine(const Model& model, const routing::Policy& policy, int replication)
  : m_model(model),
    m_policy(policy),
    m_floor(make_floor(model)),
    m_index(m_floor, model.groups),
    m_agents(model.agents.size()),
    m_done(model.agents.size()),
    m_arrival_rng(stream(model.seed, replication, Purpose::arrivals)),
    m_handle_rng(stream(model.seed, replication, Purpose::handling)),
    m_patience_rng(stream(model.seed, replication, Purpose::patience)),
    m_warmup(model.warmup_s),
    m_duration(model.duration_s),
    // After the last arrival the run goes on until every measured conversation was answered or
    // abandoned, for at most another duration (docs/simulate.md, "The drain").
    m_horizon(2 * model.duration_s),
    m_mean_gap(model.arrivals.kind == Arrivals::Kind::poisson ? 1 / model.arrivals.rate_per_s : 0),
    m_poisson(model.arrivals.kind == Arrivals::Kind::poisson),
    m_grouped(!model.groups.empty()),
    m_slowdown(std::any_of(model.slowdown.begin(), model.slowdown.end(), [](double f) { return f != 1; })),
    m_fixed_pace(true)
{
  int most = 1;
  for (const auto& a : model.agents)
    most = std::max(most, a.max_chats);
  m_pace = model.factor(1);
  for (int k = 2; k <= most; ++k)
    if (model.factor(k) != m_pace)
      m_fixed_pace = false;
  std::size_t arena = 0;
  for (std::size_t i = 0; i < model.agents.size(); ++i) {
    m_agents[i].chats = arena;
    arena += static_cast<std::size_t>(model.agents[i].max_chats);
  }
  m_arena.assign(arena, 0);

  const std::size_t none = model.groups.size();  // the index of "no group"
  m_classes.resize(2 * (none + 1));
  for (std::size_t g = 0; g <= none; ++g)
    for (std::size_t vip = 0; vip < 2; ++vip) {
      Class& k = m_classes[2 * g + vip];
      k.group = static_cast<int>(g);
      k.vip = vip == 1;
      k.head.group = g < none ? model.groups[g].name : std::string();
      k.head.vip = k.vip;
    }
  m_group_waiting.assign(none + 1, 0);
  m_totals.groups.resize(none + 1);
  m_totals.agents.resize(model.agents.size());

  auto group_index = [&](const std::string& name) {
    for (std::size_t i = 0; i < none; ++i)
      if (model.groups[i].name == name)
        return static_cast<int>(i);
    return static_cast<int>(none);
  };
  double cumulative = 0;
  for (const auto& share : model.arrivals.mix) {
    cumulative += share.share;
    m_mix.push_back(cumulative);
    m_mix_group.push_back(group_index(share.group));
  }
  if (!m_mix.empty())
    m_mix.back() = 1.0;
  if (model.arrivals.kind == Arrivals::Kind::trace)
    for (const auto& r : model.arrivals.trace)
      m_trace_group.push_back(group_index(r.group));
  build_shifts();
  build_thresholds();
}

// Each shift instance that overlaps the run, as on/off events; an agent is online while any of its
// shifts is on. Instances that started the day before (past midnight) count as on at time 0.
void
Engine::build_shifts()
{
  for (std::size_t i = 0; i < m_model.agents.size(); ++i) {
    const auto& spec = m_model.agents[i];
    for (const auto& s : spec.shifts) {
      const double length = s.end_s > s.start_s ? s.end_s - s.start_s : s.end_s + k_day_s - s.start_s;
      for (double day = -k_day_s; day < m_horizon; day += k_day_s) {
        const double start = day + s.start_s, end = start + length;
        if (end <= 0 || start >= m_horizon)
          continue;
        if (start <= 0)
          ++m_agents[i].shifts_on;
        else
          m_shifts.push_back({start, static_cast<int>(i), true});
        if (end < m_horizon)
          m_shifts.push_back({end, static_cast<int>(i), false});
      }
    }
    if (!spec.shifts.empty())
      m_floor[i].online = m_agents[i].shifts_on > 0;
  }
  // By time; at the same time "on" first, so back-to-back shifts leave no gap; then by agent.
  std::sort(m_shifts.begin(), m_shifts.end(), [](const ShiftEvent& a, const ShiftEvent& b) {
    if (a.at != b.at)
      return a.at < b.at;
    if (a.on != b.on)
      return a.on;
    return a.agent < b.agent;
  });
  for (std::size_t i = 0; i < m_floor.size(); ++i)
    m_index.changed(static_cast<int>(i));
}

// The waits at which each group's overflow hops open, as skills.cpp walks them: cumulative, stopping
// at a group without overflow, a missing group or a cycle. Rechecks are scheduled at these waits.
void
Engine::build_thresholds()
{
  const auto& groups = m_model.groups;
  m_thresholds.assign(groups.size() + 1, {});
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::vector<const routing::Group*> tried{&groups[g]};
    const routing::Group* at = &groups[g];
    double cumulative = 0;
    while (!at->overflow_to.empty()) {
      cumulative += at->overflow_after_s.value_or(0);
      m_thresholds[g].push_back(cumulative);
      const routing::Group* next = routing::find_group(groups, at->overflow_to);
      if (!next || std::find(tried.begin(), tried.end(), next) != tried.end())
        break;
      tried.push_back(next);
      at = next;
    }
  }
}

double
Engine::next_arrival_other(double t)
{
  const auto& a = m_model.arrivals;
  switch (a.kind) {
  case Arrivals::Kind::poisson:
    return t + m_arrival_rng.exponential(m_mean_gap);
  case Arrivals::Kind::profile:
    return next_profile_arrival(t);
  case Arrivals::Kind::trace:
    return m_trace_next < a.trace.size() ? a.trace[m_trace_next].at_s : k_inf;
  }
  return k_inf;
}

// A non-homogeneous Poisson process with a piecewise-constant daily rate, by inversion: an
// exponential amount of "expected arrivals" is spent segment by segment.
double
Engine::next_profile_arrival(double t)
{
  const auto& profile = m_model.arrivals.profile;
  double budget = m_arrival_rng.exponential(1.0);
  double day = std::floor(t / k_day_s) * k_day_s;
  double tod = t - day;
  // The segment holding tod: the last that starts at or before it; before the first start, the
  // previous day's last segment, which runs until the first start.
  std::size_t i = 0;
  while (i + 1 < profile.size() && profile[i + 1].first <= tod)
    ++i;
  bool wrapped = tod < profile.front().first;
  if (wrapped)
    i = profile.size() - 1;
  for (;;) {
    const double rate = profile[i].second;
    const double end = wrapped ? profile.front().first
                               : (i + 1 < profile.size() ? profile[i + 1].first : k_day_s + profile.front().first);
    const double span = end - tod;
    if (rate > 0 && rate * span >= budget)
      return day + tod + budget / rate;
    budget -= rate * span;
    if (day + end >= m_duration)
      return k_inf;
    tod = end;
    if (wrapped) {
      wrapped = false;
      i = 0;
    } else if (i + 1 < profile.size()) {
      ++i;
    } else {  // past the day's last start: the next day's first segment
      day += k_day_s;
      tod -= k_day_s;
      i = 0;
    }
  }
}

inline void
Engine::fill(routing::Conversation& conv, const Customer& c) const
{
  conv.id = c.id;
  conv.waiting_since = c.arrived;
  if (c.contact != 0) {
    auto it = m_last_served.find(c.contact);
    if (it != m_last_served.end()) {
      conv.last_served_by = m_floor[static_cast<std::size_t>(it->second)].name;
      return;
    }
  }
  conv.last_served_by.clear();
}

void
Engine::arrive(double t)
{
  ++m_totals.events;
  ++m_totals.arrivals;
  Customer c;
  c.arrived = t;
  c.id = ++m_arrivals;
  int group = static_cast<int>(m_model.groups.size());
  bool vip = false;
  std::optional<double> own_handle;
  const auto& a = m_model.arrivals;
  if (a.kind == Arrivals::Kind::trace) {
    const TraceArrival& r = a.trace[m_trace_next];
    group = m_trace_group[m_trace_next];
    ++m_trace_next;
    vip = r.vip;
    c.contact = r.contact;
    own_handle = r.handle_s;
  } else {
    if (!m_mix.empty()) {
      const double u = m_arrival_rng.uniform();
      std::size_t i = 0;
      while (i + 1 < m_mix.size() && u > m_mix[i])
        ++i;
      group = m_mix_group[i];
    }
    if (a.vip_share > 0)
      vip = m_arrival_rng.uniform() < a.vip_share;
  }
  // Handling time and patience are drawn for every arrival, in arrival order, from their own streams,
  // whether or not they are used: the i-th customer is the same under every policy.
  const double drawn = m_model.handle.sample(m_handle_rng);
  c.work = (own_handle && m_model.handle.kind == Distribution::Kind::empirical) ? *own_handle : drawn;
  const double patience = m_model.patience.sample(m_patience_rng);
  c.cls = 2 * group + (vip ? 1 : 0);
  c.measured = t >= m_warmup;
  if (c.measured) {
    ++m_totals.measured_arrivals;
    ++m_totals.overall.offered;
    if (m_grouped)
      ++group_tally(c.cls).offered;
  }
  schedule_next_arrival(t);

  Class& k = m_classes[static_cast<std::size_t>(c.cls)];
  if (k.live == 0) {  // nobody of its kind waits: it may be served at once
    fill(k.head, c);
    const int agent = m_policy.pick(k.head, floor(t), m_index);
    if (agent >= 0) {
      assign(c, agent, t);
      return;
    }
  }
  const bool head = k.live == 0;
  const std::uint32_t slot = enqueue(c, t);
  if (patience < k_inf) {
    m_deadlines.push(Deadline{t + patience, slot, m_slab[slot].generation});
  }
  if (head)
    note_blocked(c.cls, t);
}

std::uint32_t
Engine::enqueue(const Customer& c, double t)
{
  std::uint32_t slot;
  if (m_free.empty()) {
    slot = static_cast<std::uint32_t>(m_slab.size());
    m_slab.push_back(c);
  } else {
    slot = m_free.back();
    m_free.pop_back();
    const std::uint32_t generation = m_slab[slot].generation;
    m_slab[slot] = c;
    m_slab[slot].generation = generation;
  }
  m_slab[slot].alive = true;
  Class& k = m_classes[static_cast<std::size_t>(c.cls)];
  k.queue.push(slot);
  ++k.live;
  ++m_waiting;
  const auto g = static_cast<std::size_t>(k.group);
  ++m_group_waiting[g];
  if (c.measured) {
    ++m_totals.overall.waited;
    if (m_grouped)
      ++m_totals.groups[g].waited;
  }
  if (m_measuring && t < m_duration) {
    m_totals.overall.max_queue = std::max(m_totals.overall.max_queue, m_waiting);
    if (m_grouped)
      m_totals.groups[g].max_queue = std::max(m_totals.groups[g].max_queue, m_group_waiting[g]);
  }
  return slot;
}

void
Engine::free_slot(std::uint32_t slot)
{
  ++m_slab[slot].generation;
  m_slab[slot].alive = false;
  m_free.push_back(slot);
}

// Drops abandoned entries from the front of the class queue; fills k.head from the first live one.
// false when the queue holds nobody alive.
bool
Engine::prepare_head(Class& k)
{
  while (!k.queue.empty() && !m_slab[k.queue.front()].alive) {
    free_slot(k.queue.front());
    k.queue.pop();
  }
  if (k.queue.empty())
    return false;
  fill(k.head, m_slab[k.queue.front()]);
  return true;
}

// The head of class `cls` found nobody. With overflow configured for its group, a recheck is due when
// its wait reaches the next hop's threshold (skills opens the overflow group then).
void
Engine::note_blocked(int cls, double t)
{
  Class& k = m_classes[static_cast<std::size_t>(cls)];
  const auto& thresholds = m_thresholds[static_cast<std::size_t>(k.group)];
  if (thresholds.empty() || !prepare_head(k))
    return;
  const double arrived = k.head.waiting_since;
  for (double threshold : thresholds) {
    // A hair past the threshold, so that now - waiting_since is not below it by a rounding.
    double at = arrived + threshold;
    at += std::max(1e-9, 1e-12 * std::abs(at));
    if (at <= t)
      continue;
    if (k.recheck_at > t && k.recheck_at <= at)
      return;  // an earlier recheck is pending; it will schedule the next one
    k.recheck_at = at;
    m_rechecks.push_back(at);
    std::push_heap(m_rechecks.begin(), m_rechecks.end(), std::greater<>{});
    update_rare();
    return;
  }
}

// Brings the agent's virtual clock and its occupancy integrals (within the measured window) to t.
// Inline, as rerate(): each runs twice per conversation.
inline void
Engine::advance(int agent, double t)
{
  AgentState& s = m_agents[static_cast<std::size_t>(agent)];
  const routing::Agent& a = m_floor[static_cast<std::size_t>(agent)];
  if (a.open > 0 && !m_fixed_pace)
    s.vclock += m_slowdown ? (t - s.at) / s.factor : t - s.at;  // the same bits: x / 1 is x
  const double lo = std::max(s.at, m_warmup), hi = std::min(t, m_duration);
  if (hi > lo) {
    AgentTally& tally = s.tally;
    if (!m_fixed_pace)  // else counted per chat by assign()
      tally.busy_slot_s += a.open * (hi - lo);
    tally.available_slot_s += (a.online ? a.max_chats : a.open) * (hi - lo);
  }
  s.at = t;
}

// After the agent's number of chats changed: the new pace, and when its next chat ends.
inline void
Engine::rerate(int agent, double t)
{
  AgentState& s = m_agents[static_cast<std::size_t>(agent)];
  const int open = m_floor[static_cast<std::size_t>(agent)].open;
  if (open == 0) {
    s.factor = m_model.factor(open);
    m_done.remove(agent);
    return;
  }
  const double next_end = m_arena[s.chats];  // the heap's top
  const double left = std::max(0.0, next_end - s.vclock);
  if (!m_slowdown) {  // factor 1: the same bits as the product
    m_done.set(agent, t + left);
    return;
  }
  s.factor = m_model.factor(open);
  m_done.set(agent, t + left * s.factor);
}

void
Engine::assign(const Customer& c, int agent, double t)
{
  const double wait = t - c.arrived;
  if (c.measured) {
    auto count = [&](Tally& tally) {
      ++tally.answered;
      tally.wait_sum_s += wait;
      tally.waits.add(wait);
      if (wait <= m_model.target_s)
        ++tally.within_target;
    };
    count(m_totals.overall);
    if (m_grouped)
      count(group_tally(c.cls));
    ++m_agents[static_cast<std::size_t>(agent)].tally.answered;
  }
  routing::Agent& a = m_floor[static_cast<std::size_t>(agent)];
  AgentState& s = m_agents[static_cast<std::size_t>(agent)];
  if (m_fixed_pace) {
    // The end is known now: one completion entry, and the chat's busy time within the measured
    // window. The availability integral changes only with online or, offline, with open.
    if (!a.online)
      advance(agent, t);
    const double end = t + c.work * m_pace;
    const double lo = std::max(t, m_warmup), hi = std::min(end, m_duration);
    if (hi > lo)
      s.tally.busy_slot_s += hi - lo;
    ++a.open;
    a.last_assigned_at = t;
    m_done.add(agent, end);
    m_index.changed(agent);
    if (c.contact != 0)
      m_last_served[c.contact] = agent;
    return;
  }
  advance(agent, t);
  // Push the chat's end (in the agent's virtual time) on the agent's heap.
  double* heap = &m_arena[s.chats];
  std::size_t at = static_cast<std::size_t>(a.open);
  const double end = s.vclock + c.work;
  while (at > 0 && end < heap[(at - 1) / 2]) {
    heap[at] = heap[(at - 1) / 2];
    at = (at - 1) / 2;
  }
  heap[at] = end;
  ++a.open;
  a.last_assigned_at = t;
  rerate(agent, t);
  m_index.changed(agent);
  if (c.contact != 0)
    m_last_served[c.contact] = agent;
}

void
Engine::complete(int agent, double t)
{
  ++m_totals.events;
  routing::Agent& a = m_floor[static_cast<std::size_t>(agent)];
  if (m_fixed_pace) {  // see assign()
    if (!a.online)
      advance(agent, t);
    --a.open;
    m_index.changed(agent);
    if (a.online)
      dispatch(t);
    return;
  }
  advance(agent, t);
  AgentState& s = m_agents[static_cast<std::size_t>(agent)];
  // Pop the earliest end from the agent's heap.
  double* heap = &m_arena[s.chats];
  const auto n = static_cast<std::size_t>(--a.open);
  const double last = heap[n];
  std::size_t at = 0;
  for (;;) {
    std::size_t child = 2 * at + 1;
    if (child >= n)
      break;
    if (child + 1 < n && heap[child + 1] < heap[child])
      ++child;
    if (!(heap[child] < last))
      break;
    heap[at] = heap[child];
    at = child;
  }
  if (n > 0)
    heap[at] = last;
  rerate(agent, t);
  m_index.changed(agent);
  if (a.online)
    dispatch(t);
}

void
Engine::abandon(const Deadline& d, double t)
{
  Customer& c = m_slab[d.slot()];
  if (c.generation != d.generation() || !c.alive)
    return;  // answered meanwhile
  ++m_totals.events;
  c.alive = false;
  Class& k = m_classes[static_cast<std::size_t>(c.cls)];
  --k.live;
  --m_waiting;
  --m_group_waiting[static_cast<std::size_t>(k.group)];
  if (c.measured) {
    ++m_totals.overall.abandoned;
    if (m_grouped)
      ++group_tally(c.cls).abandoned;
  }
  if (k.queue.front() == d.slot() && k.live > 0)
    note_blocked(c.cls, t);  // a new head: its own overflow waits
}

void
Engine::shift(const ShiftEvent& e, double t)
{
  ++m_totals.events;
  AgentState& s = m_agents[static_cast<std::size_t>(e.agent)];
  s.shifts_on += e.on ? 1 : -1;
  const bool online = s.shifts_on > 0;
  routing::Agent& a = m_floor[static_cast<std::size_t>(e.agent)];
  if (online == a.online)
    return;
  advance(e.agent, t);
  a.online = online;
  m_index.changed(e.agent);
  if (online)
    dispatch(t);
}

// Serves the backlog in the policy's order while anyone can be served (docs/simulate.md, "Dispatch").
void
Engine::dispatch(double t)
{
  if (m_waiting == 0)
    return;
  for (auto& k : m_classes)
    k.blocked = false;
  for (;;) {
    if (m_index.with_capacity() == 0) {
      // Eligibility needs capacity (docs/routing.md): every policy would find nobody for every head,
      // as the loop below would learn one class at a time.
      for (std::size_t i = 0; i < m_classes.size(); ++i) {
        Class& k = m_classes[i];
        if (k.live > 0 && !k.blocked && prepare_head(k))
          note_blocked(static_cast<int>(i), t);
      }
      return;
    }
    Class* best = nullptr;
    for (auto& k : m_classes) {
      if (k.live == 0 || k.blocked || !prepare_head(k))
        continue;
      if (!best || m_policy.serves_before(k.head, best->head))
        best = &k;
    }
    if (!best)
      return;
    const int agent = m_policy.pick(best->head, floor(t), m_index);
    if (agent < 0) {
      best->blocked = true;
      note_blocked(static_cast<int>(best - m_classes.data()), t);
      continue;
    }
    const std::uint32_t slot = best->queue.front();
    best->queue.pop();
    --best->live;
    --m_waiting;
    --m_group_waiting[static_cast<std::size_t>(best->group)];
    const Customer c = m_slab[slot];
    free_slot(slot);
    assign(c, agent, t);
  }
}

void
Engine::finish()
{
  for (std::size_t i = 0; i < m_floor.size(); ++i) {
    advance(static_cast<int>(i), std::max(m_agents[i].at, m_duration));
    m_totals.agents[i] = m_agents[i].tally;
  }
  // Still waiting: measured but neither answered nor abandoned.
  for (auto& k : m_classes)
    while (!k.queue.empty()) {
      const Customer& c = m_slab[k.queue.front()];
      if (c.alive && c.measured) {
        ++m_totals.overall.unanswered;
        if (m_grouped)
          ++m_totals.groups[static_cast<std::size_t>(k.group)].unanswered;
      }
      k.queue.pop();
    }
  // Occupancy of each group: of its members.
  for (std::size_t i = 0; i < m_floor.size(); ++i) {
    const AgentTally& a = m_totals.agents[i];
    m_totals.overall.busy_slot_s += a.busy_slot_s;
    m_totals.overall.available_slot_s += a.available_slot_s;
    for (std::size_t g = 0; g < m_model.groups.size(); ++g)
      if (routing::in_group(m_floor[i], m_model.groups[g])) {
        m_totals.groups[g].busy_slot_s += a.busy_slot_s;
        m_totals.groups[g].available_slot_s += a.available_slot_s;
      }
  }
}

Totals
Engine::run()
{
  const auto started = std::chrono::steady_clock::now();
  schedule_next_arrival(0);
  update_rare();
  m_measuring = m_warmup <= 0;
  for (;;) {
    const double ta = m_next_arrival;
    const double tc = m_done.top_time();
    const double tb = m_deadlines.top_time();
    const double tx = m_rare_at;
    const double t = std::min(std::min(ta, tc), std::min(tb, tx));
    if (t >= m_horizon || (t >= m_duration && m_waiting == 0))
      break;
    if (!m_measuring && t >= m_warmup) {
      m_measuring = true;  // the backlog carried into the measured window counts for max_queue
      m_totals.overall.max_queue = m_waiting;
      for (std::size_t g = 0; g < m_group_waiting.size(); ++g)
        m_totals.groups[g].max_queue = m_group_waiting[g];
    }
    // Ties: completions first (they free capacity), then shifts, abandonments, rechecks, arrivals.
    if (tc == t) {
      const int agent = m_done.top_agent();
      m_done.pop();
      complete(agent, t);
    } else if (tx == t && m_shift_next < m_shifts.size() && m_shifts[m_shift_next].at == t) {
      const ShiftEvent& e = m_shifts[m_shift_next++];
      update_rare();
      shift(e, t);
    } else if (tb == t) {
      const Deadline d = m_deadlines.top();
      m_deadlines.pop();
      abandon(d, t);
    } else if (tx == t) {  // a recheck
      std::pop_heap(m_rechecks.begin(), m_rechecks.end(), std::greater<>{});
      m_rechecks.pop_back();
      update_rare();
      ++m_totals.events;
      dispatch(t);
    } else {
      arrive(t);
    }
  }
  finish();
  m_totals.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return std::move(m_totals);
}

} // namespace

void
Tally::freeze()
{
  quantiles[0] = waits.quantile(0.5);
  quantiles[1] = waits.quantile(0.9);
  quantiles[2] = waits.quantile(0.99);
  waits.release();
}

Totals
run_replication(const Model& model, const routing::Policy& policy, int replication)
{
  Engine engine(model, policy, replication);
  return engine.run();
}

} // namespace svc::simulate
