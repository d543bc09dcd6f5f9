// The KPI fold: each conversation's messages and resolutions in time order, folded into inquiries and
// customer turns in one pass, then added to the row of their group and to the total.
#include <svc/history/report.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <span>
#include <map>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

namespace svc::history {

namespace {

constexpr std::int64_t k_day = 86400;

struct Acc {
  std::int64_t inbound = 0, outbound = 0, bot_replies = 0, conversations = 0, inquiries = 0;
  std::vector<std::int64_t> first_response, reply, resolution;
  std::int64_t sla_met = 0, sla_decided = 0, abandoned = 0, resolved = 0, backlog = 0;
  std::int64_t bot_answered = 0, deflected = 0, deflection_decided = 0;
};

// Nearest rank: the smallest observed value with at least p of the samples at or below it.
DurationStats
stats_of(std::vector<std::int64_t>& v)
{
  DurationStats s;
  s.count = static_cast<std::int64_t>(v.size());
  if (v.empty())
    return s;
  std::sort(v.begin(), v.end());
  auto rank = [&](double p) {
    auto r = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::max<std::size_t>(r, 1) - 1];
  };
  s.median = rank(0.5);
  s.p90 = rank(0.9);
  s.mean = static_cast<double>(std::accumulate(v.begin(), v.end(), std::int64_t{0})) / static_cast<double>(v.size());
  return s;
}

std::optional<double>
rate(std::int64_t part, std::int64_t whole)
{
  if (whole <= 0)
    return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::string
day_name(std::int64_t day)
{
  // Civil date from days since the epoch (Howard Hinnant's algorithm).
  std::int64_t z = day + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04}-{:02}-{:02}", y + (m <= 2), m, d);
}

std::int64_t
day_of(UnixTime t)
{
  return t >= 0 ? t / k_day : (t - k_day + 1) / k_day;
}

// Groups by name, created on first use; index 0 is the total.
class Groups
{
public:
  Groups() { m_acc.emplace_back(); m_names.emplace_back(); }

  int named(const std::string& name)
  {
    auto [it, added] = m_index.emplace(name, static_cast<int>(m_acc.size()));
    if (added) {
      m_acc.emplace_back();
      m_names.push_back(name);
    }
    return it->second;
  }
  int day(UnixTime t)
  {
    std::int64_t d = day_of(t);
    auto it = m_days.find(d);
    if (it != m_days.end())
      return it->second;
    int g = named(day_name(d));
    m_days.emplace(d, g);
    return g;
  }
  Acc& total() { return m_acc[0]; }
  Acc& at(int g) { return m_acc[static_cast<std::size_t>(g)]; }
  std::size_t size() const { return m_acc.size(); }
  const std::string& name(std::size_t g) const { return m_names[g]; }

private:
  std::vector<Acc> m_acc;
  std::vector<std::string> m_names;
  std::unordered_map<std::string, int> m_index;
  std::unordered_map<std::int64_t, int> m_days;
};

struct Event {
  UnixTime at = 0;
  std::int64_t order = 0;
  const store::ReportMessage* message = nullptr;  // null: a resolution
};

struct Inquiry {
  UnixTime arrived = 0;
  std::optional<UnixTime> answered, resolved;
  std::uint32_t first_agent = 0;
  bool by_bot = false, by_human = false;
  UnixTime last_bot = 0;
  std::int64_t inbound_in_window = 0;  // --by agent: inbound messages go to the inquiry's agent
};

class Fold
{
public:
  Fold(const store::ReportHistory& h, const ReportOptions& o) : m_h(h), m_o(o) {}

  Report run()
  {
    // The messages and status events of each conversation, in storage order (a counting sort).
    std::unordered_map<std::int64_t, std::size_t> index;
    index.reserve(m_h.conversations.size());
    for (std::size_t i = 0; i < m_h.conversations.size(); ++i)
      index.emplace(m_h.conversations[i].id, i);
    auto bucket = [&](auto& rows) {
      std::vector<std::size_t> start(m_h.conversations.size() + 1, 0);
      for (const auto& r : rows)
        if (auto it = index.find(r.conversation_id); it != index.end())
          ++start[it->second + 1];
      std::partial_sum(start.begin(), start.end(), start.begin());
      std::vector<std::size_t> fill(start.begin(), start.end() - 1);
      std::vector<decltype(&rows[0])> out(start.back());
      for (const auto& r : rows)
        if (auto it = index.find(r.conversation_id); it != index.end())
          out[fill[it->second]++] = &r;
      return std::pair(std::move(start), std::move(out));
    };
    auto [mstart, messages] = bucket(m_h.messages);
    auto [estart, events] = bucket(m_h.events);
    for (std::size_t c = 0; c < m_h.conversations.size(); ++c)
      conversation(m_h.conversations[c], {messages.begin() + static_cast<std::ptrdiff_t>(mstart[c]),
                                          messages.begin() + static_cast<std::ptrdiff_t>(mstart[c + 1])},
                   {events.begin() + static_cast<std::ptrdiff_t>(estart[c]),
                    events.begin() + static_cast<std::ptrdiff_t>(estart[c + 1])});
    return finish();
  }

private:
  bool in_window(UnixTime t) const { return t >= m_o.since && t < m_o.until; }

  int group(const store::ReportConversation& c, UnixTime day, const std::string& agent)
  {
    switch (m_o.by) {
    case ReportBy::account:
    case ReportBy::channel:
      if (m_conversation_group < 0)
        m_conversation_group = m_groups.named(m_o.by == ReportBy::account ? c.account : c.channel);
      return m_conversation_group;
    case ReportBy::agent:
      return m_groups.named(agent);
    case ReportBy::day:
      return m_groups.day(day);
    }
    return 0;
  }
  // The group of an outbound message: by agent, cached per agent (a million lookups by name add up).
  int group_of_sender(const store::ReportConversation& c, UnixTime day, std::uint32_t agent)
  {
    if (m_o.by != ReportBy::agent)
      return group(c, day, "");
    if (m_agent_group.size() <= agent)
      m_agent_group.resize(m_h.agents.size(), -1);
    int& g = m_agent_group[agent];
    if (g < 0)
      g = m_groups.named(agent_name(agent));
    return g;
  }
  std::string agent_name(std::uint32_t agent) const
  {
    const std::string& name = m_h.agents[agent];
    return name.empty() ? std::string("(unknown)") : name;
  }
  std::string owner(const store::ReportConversation& c) const
  {
    return c.assignee.empty() ? std::string("(none)") : c.assignee;
  }
  // Adds to a group's figures and the total's.
  template <class F>
  void add(int g, F&& f)
  {
    f(m_groups.at(g));
    f(m_groups.total());
  }
  // A message of the window in group g: the conversation counts once in g.
  int touched(int g)
  {
    m_touched.push_back(g);
    return g;
  }

  void conversation(const store::ReportConversation& c, std::span<const store::ReportMessage* const> messages,
                    std::span<const store::ReportStatusEvent* const> statuses)
  {
    // A reply sent through svc is stamped by this machine's clock, the customer's messages by the
    // platform's: when the two disagree, the reply is placed after every message svc had already stored
    // when it was sent (those it answered), never before them.
    m_conversation_group = -1;
    m_events.clear();
    m_returns.clear();
    UnixTime stored_max = INT64_MIN;
    for (const auto* m : messages) {
      UnixTime at = m->at;
      if (!m->inbound && m->via_outbox && stored_max > at)
        at = stored_max;
      stored_max = std::max(stored_max, m->at);
      m_events.push_back({at, m->id, m});
      if (m->inbound)
        m_returns.push_back(at);
    }
    for (const auto* s : statuses) {
      if (s->resolved)
        m_events.push_back({s->at, s->id, nullptr});
      else
        m_returns.push_back(s->at);  // a reopening by hand: the customer was not done
    }
    // Time order; at the same second, messages before a resolution (as simulation_source does).
    std::stable_sort(m_events.begin(), m_events.end(), [](const Event& x, const Event& y) {
      if (x.at != y.at)
        return x.at < y.at;
      if ((x.message == nullptr) != (y.message == nullptr))
        return y.message == nullptr;
      return x.order < y.order;
    });
    std::sort(m_returns.begin(), m_returns.end());

    m_touched.clear();
    m_inquiries.clear();
    std::optional<Inquiry> open;
    // The start of the customer's unanswered turn (a flag and a time: g++ 12 warns falsely on optional here).
    bool waiting = false;
    UnixTime waiting_since = 0;
    for (const Event& e : m_events) {
      if (!e.message) {
        if (open) {
          open->resolved = e.at;
          m_inquiries.push_back(*open);
          open.reset();
          waiting = false;
        }
        continue;
      }
      const store::ReportMessage& m = *e.message;
      if (m.inbound) {
        if (!open) {
          open = Inquiry{};
          open->arrived = e.at;
        }
        if (!waiting) {
          waiting = true;
          waiting_since = e.at;
        }
        if (in_window(m.at)) {
          if (m_o.by == ReportBy::agent)
            ++open->inbound_in_window;
          else
            add(touched(group(c, m.at, "")), [](Acc& a) { ++a.inbound; });
        }
        continue;
      }
      if (in_window(m.at))
        add(touched(group_of_sender(c, m.at, m.agent)), [&](Acc& a) {
          ++a.outbound;
          a.bot_replies += m.bot ? 1 : 0;
        });
      if (!open)
        continue;  // proactive, or a reply to a resolved conversation: volume only
      if (waiting) {
        std::int64_t took = std::max<std::int64_t>(0, e.at - waiting_since);
        if (in_window(waiting_since))
          add(group_of_sender(c, waiting_since, m.agent), [&](Acc& a) { a.reply.push_back(took); });
        if (!open->answered) {
          open->answered = e.at;
          open->first_agent = m.agent;
        }
        waiting = false;
      }
      if (m.bot) {
        open->by_bot = true;
        open->last_bot = e.at;
      } else {
        open->by_human = true;
      }
    }
    if (open)
      m_inquiries.push_back(*open);
    if (waiting && waiting_since <= m_o.now)
      add(group(c, waiting_since, owner(c)), [](Acc& a) { ++a.backlog; });

    for (const Inquiry& q : m_inquiries)
      inquiry(c, q);
    // A conversation counts once in each group it had a message in, in the window.
    std::sort(m_touched.begin(), m_touched.end());
    m_touched.erase(std::unique(m_touched.begin(), m_touched.end()), m_touched.end());
    for (int g : m_touched)
      ++m_groups.at(g).conversations;
    if (!m_touched.empty())
      ++m_groups.total().conversations;
  }

  void inquiry(const store::ReportConversation& c, const Inquiry& q)
  {
    std::string agent = q.answered ? agent_name(q.first_agent) : owner(c);
    if (q.inbound_in_window > 0)
      add(touched(group(c, q.arrived, agent)), [&](Acc& a) { a.inbound += q.inbound_in_window; });
    if (!in_window(q.arrived))
      return;
    bool bot_only = q.by_bot && !q.by_human;
    // Deflected: the bot alone answered, and the customer neither wrote again nor had it reopened
    // within the window after the bot's last reply. Undecided while that window is still running.
    bool came_back = false;
    if (bot_only) {
      auto next = std::upper_bound(m_returns.begin(), m_returns.end(), q.last_bot);
      came_back = next != m_returns.end() && *next <= q.last_bot + m_o.deflection_window_s;
    }
    bool deflection_known = !bot_only || came_back || m_o.now >= q.last_bot + m_o.deflection_window_s;
    std::optional<std::int64_t> first;
    if (q.answered)
      first = std::max<std::int64_t>(0, *q.answered - q.arrived);
    if (first)
      m_first_responses.push_back(*first);
    add(group(c, q.arrived, agent), [&](Acc& a) {
      ++a.inquiries;
      if (first) {
        a.first_response.push_back(*first);
        ++a.sla_decided;
        a.sla_met += *first <= m_o.sla_s ? 1 : 0;
      } else if (q.resolved || m_o.now - q.arrived > m_o.sla_s) {
        ++a.sla_decided;
        ++a.abandoned;
      }
      if (q.resolved) {
        ++a.resolved;
        a.resolution.push_back(std::max<std::int64_t>(0, *q.resolved - q.arrived));
      }
      if (bot_only)
        ++a.bot_answered;
      if (deflection_known) {
        ++a.deflection_decided;
        a.deflected += bot_only && !came_back ? 1 : 0;
      }
    });
  }

  Report finish()
  {
    Report r;
    std::vector<std::size_t> order(m_groups.size() - 1);
    std::iota(order.begin(), order.end(), std::size_t{1});
    std::sort(order.begin(), order.end(), [&](auto x, auto y) { return m_groups.name(x) < m_groups.name(y); });
    order.push_back(0);
    for (std::size_t g : order) {
      Acc& a = m_groups.at(static_cast<int>(g));
      ReportRow row;
      if (g != 0)
        row.group = m_groups.name(g);
      row.inbound = a.inbound;
      row.outbound = a.outbound;
      row.bot_replies = a.bot_replies;
      row.conversations = a.conversations;
      row.inquiries = a.inquiries;
      row.first_response = stats_of(a.first_response);
      row.reply = stats_of(a.reply);
      row.resolution = stats_of(a.resolution);
      row.sla_met = a.sla_met;
      row.sla_decided = a.sla_decided;
      row.abandoned = a.abandoned;
      row.resolved = a.resolved;
      row.backlog = a.backlog;
      row.bot_answered = a.bot_answered;
      row.deflected = a.deflected;
      row.deflection_decided = a.deflection_decided;
      row.sla_rate = rate(a.sla_met, a.sla_decided);
      row.abandon_rate = rate(a.abandoned, a.sla_decided);
      row.resolution_rate = rate(a.resolved, a.inquiries);
      row.deflection_rate = rate(a.deflected, a.deflection_decided);
      r.rows.push_back(std::move(row));
    }
    r.first_responses = std::move(m_first_responses);
    return r;
  }

  const store::ReportHistory& m_h;
  const ReportOptions& m_o;
  Groups m_groups;
  std::vector<Event> m_events;
  std::vector<UnixTime> m_returns;
  std::vector<int> m_touched;
  int m_conversation_group = -1;
  std::vector<int> m_agent_group;
  std::vector<Inquiry> m_inquiries;
  std::vector<std::int64_t> m_first_responses;
};

} // namespace

Result<ReportBy>
parse_report_by(std::string_view text)
{
  if (text == "account")
    return ReportBy::account;
  if (text == "channel")
    return ReportBy::channel;
  if (text == "agent")
    return ReportBy::agent;
  if (text == "day")
    return ReportBy::day;
  return make_error(ErrorKind::usage, "cannot report by '{}'", text).with_hint("use --by account, channel, agent or day");
}

std::string_view
to_string(ReportBy by)
{
  switch (by) {
  case ReportBy::account:
    return "account";
  case ReportBy::channel:
    return "channel";
  case ReportBy::agent:
    return "agent";
  case ReportBy::day:
    return "day";
  }
  return "account";
}

Report
compute_report(const store::ReportHistory& history, const ReportOptions& options)
{
  return Fold(history, options).run();
}

} // namespace svc::history
