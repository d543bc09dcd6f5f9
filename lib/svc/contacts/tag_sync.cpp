// The tag sync planner: pure, from the two sides to an ordered plan (tag_sync.hpp, docs/tag-sync.md).
#include <svc/contacts/tag_sync.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace svc::contacts {

namespace {

using Ids = std::set<std::int64_t>;

// The local side, indexed.
struct Local {
  std::map<std::int64_t, std::string> user_of;                          // contact id -> platform user id
  std::map<std::string, std::int64_t> contact_of;                       // platform user id -> contact id
  std::map<std::int64_t, std::string> name_of;                          // tag id -> name
  std::map<std::string, std::int64_t> tag_named;                        // name -> tag id
  std::map<std::int64_t, std::map<std::int64_t, std::string>> members; // tag id -> contact id -> source
  std::map<std::int64_t, std::string> pid_of;                           // tag id -> platform tag id
  std::map<std::string, std::int64_t> tag_of_pid;                       // platform tag id -> tag id
  std::map<std::int64_t, Ids> synced;                                   // tag id -> agreed at the last sync
};

// The platform side, indexed; members split into contacts here and users unknown here.
struct Remote {
  std::map<std::string, channels::PlatformTag> by_id;
  std::map<std::string, std::string> id_named;             // name -> platform tag id
  std::map<std::string, Ids> known;                        // platform tag id -> contact ids
  std::map<std::string, std::vector<std::string>> unknown; // platform tag id -> user ids
  std::map<std::string, std::size_t> tags_per_user;        // user id -> tags the user carries
};

// A local tag and the platform tag it syncs with in this plan.
struct Resolved {
  std::int64_t tag_id = 0; // 0: created here when the plan applies
  std::string name;
  std::string pid;         // "" until created
  bool fresh = false;      // mapped by this plan: no record of a last sync applies
  bool created = false;    // created on the platform by this plan: no members there yet
  bool system = false;
};

Local
index(const store::TagSyncSnapshot& s)
{
  Local l;
  for (const auto& c : s.contacts) {
    l.user_of[c.id] = c.platform_user_id;
    l.contact_of[c.platform_user_id] = c.id;
  }
  for (const auto& t : s.tags) {
    l.name_of[t.id] = t.name;
    l.tag_named[t.name] = t.id;
  }
  for (const auto& m : s.memberships)
    l.members[m.tag_id][m.contact_id] = m.source;
  for (const auto& m : s.mappings) {
    l.pid_of[m.tag_id] = m.platform_tag_id;
    l.tag_of_pid[m.platform_tag_id] = m.tag_id;
  }
  for (const auto& m : s.synced)
    l.synced[m.tag_id].insert(m.contact_id);
  return l;
}

Remote
index(const PlatformTags& p, const Local& l)
{
  Remote r;
  for (const auto& t : p.tags) {
    r.by_id[t.id] = t;
    r.id_named.emplace(t.name, t.id);
  }
  for (const auto& [pid, users] : p.members) {
    auto& known = r.known[pid];
    for (const auto& u : users) {
      ++r.tags_per_user[u];
      if (auto c = l.contact_of.find(u); c != l.contact_of.end())
        known.insert(c->second);
      else
        r.unknown[pid].push_back(u);
    }
  }
  return r;
}

const Ids k_none;

template <class Map, class Key>
const Ids&
ids_at(const Map& map, const Key& key)
{
  auto it = map.find(key);
  return it == map.end() ? k_none : it->second;
}

class Planner
{
public:
  Planner(const Local& l, const Remote& r, const channels::TagLimits& limits, std::size_t platform_tags)
    : m_l(l), m_r(r), m_limits(limits),
      m_capacity(limits.max_tags > platform_tags ? limits.max_tags - platform_tags : 0)
  {
  }

  void resolve_local_tags();
  void resolve_platform_tags();
  void diff_members();
  void skip_unknown_users();
  TagSyncPlan finish(std::int64_t account_id);

private:
  TagStep step(TagAction action, const std::string& tag, std::int64_t tag_id, const std::string& pid) const
  {
    TagStep s;
    s.action = action;
    s.tag = tag;
    s.tag_id = tag_id;
    s.platform_tag_id = pid;
    return s;
  }
  void add_contacts(TagStep& s, const std::vector<std::int64_t>& contacts) const
  {
    s.contacts = contacts;
    std::sort(s.contacts.begin(), s.contacts.end());
    for (auto c : s.contacts)
      s.user_ids.push_back(m_l.user_of.at(c));
  }
  void conflict(const std::string& tag, std::int64_t tag_id, const std::string& pid, const std::vector<std::int64_t>& who,
                std::string code, std::string reason)
  {
    TagStep s = step(TagAction::conflict, tag, tag_id, pid);
    add_contacts(s, who);
    s.conflict = std::move(code);
    s.reason = std::move(reason);
    m_conflicts.push_back(std::move(s));
  }
  void members_step(std::vector<TagStep>& into, TagAction action, const Resolved& r,
                    const std::vector<std::int64_t>& who, std::string code, std::string reason)
  {
    if (who.empty())
      return;
    TagStep s = step(action, r.name, r.tag_id, r.pid);
    add_contacts(s, who);
    s.conflict = std::move(code);
    s.reason = std::move(reason);
    into.push_back(std::move(s));
  }
  std::vector<std::int64_t> local_members(std::int64_t tag_id) const
  {
    std::vector<std::int64_t> out;
    if (auto it = m_l.members.find(tag_id); it != m_l.members.end())
      for (const auto& [c, source] : it->second)
        out.push_back(c);
    return out;
  }

  const Local& m_l;
  const Remote& m_r;
  channels::TagLimits m_limits;
  std::size_t m_capacity;          // tags the platform still takes
  std::set<std::string> m_claimed; // platform tags resolved to a local tag
  std::vector<Resolved> m_resolved;
  std::vector<TagStep> m_tag_level, m_untag, m_tag, m_pull, m_drop, m_skip, m_conflicts;
  std::vector<SyncRecord> m_records;
};

// Local tags the account's contacts carry, or that are mapped on the account, by name.
void
Planner::resolve_local_tags()
{
  std::map<std::string, std::int64_t> relevant;
  for (const auto& [tag_id, members] : m_l.members)
    if (!members.empty())
      relevant.emplace(m_l.name_of.at(tag_id), tag_id);
  for (const auto& [tag_id, pid] : m_l.pid_of)
    relevant.emplace(m_l.name_of.at(tag_id), tag_id);

  for (const auto& [name, tag_id] : relevant) {
    auto mapped = m_l.pid_of.find(tag_id);
    if (mapped != m_l.pid_of.end() && m_r.by_id.count(mapped->second)) {
      m_resolved.push_back({tag_id, name, mapped->second, false, false, m_r.by_id.at(mapped->second).system});
      m_claimed.insert(mapped->second);
      continue;
    }
    bool gone = mapped != m_l.pid_of.end(); // mapped to a platform tag that no longer exists
    std::string old = gone ? mapped->second : "";
    auto members = local_members(tag_id);
    if (auto same = m_r.id_named.find(name); same != m_r.id_named.end()) {
      const std::string& pid = same->second;
      auto owner = m_l.tag_of_pid.find(pid);
      if ((owner != m_l.tag_of_pid.end() && owner->second != tag_id) || m_claimed.count(pid)) {
        std::string other = owner != m_l.tag_of_pid.end() ? m_l.name_of.at(owner->second) : name;
        conflict(name, tag_id, pid, members, "name_taken",
                 fmt::format("the platform's tag '{}' (id {}) is synced with the tag '{}' here", name, pid, other));
        continue;
      }
      TagStep s = step(TagAction::map, name, tag_id, pid);
      s.conflict = gone ? "remapped" : "";
      s.reason = gone ? fmt::format("platform tag {} is gone; the platform's tag of this name is id {}", old, pid)
                      : "the platform has a tag of this name";
      m_tag_level.push_back(std::move(s));
      m_resolved.push_back({tag_id, name, pid, true, false, m_r.by_id.at(pid).system});
      m_claimed.insert(pid);
      continue;
    }
    if (members.empty()) {
      TagStep s = step(TagAction::unmap, name, tag_id, old);
      s.reason = "deleted on the platform, and no contact here carries it";
      m_tag_level.push_back(std::move(s));
      continue;
    }
    if (name.size() > m_limits.max_name_bytes) {
      conflict(name, tag_id, "", members, "name_too_long",
               fmt::format("the name has {} bytes, the platform takes at most {}: not created there", name.size(),
                           m_limits.max_name_bytes));
      continue;
    }
    if (m_capacity == 0) {
      conflict(name, tag_id, "", members, "tag_limit",
               fmt::format("the account has the platform's limit of {} tags: not created there", m_limits.max_tags));
      continue;
    }
    --m_capacity;
    TagStep s = step(TagAction::create, name, tag_id, "");
    s.conflict = gone ? "recreated" : "";
    s.reason = gone ? fmt::format("platform tag {} was deleted there since the last sync: created again", old)
                    : "new here";
    m_tag_level.push_back(std::move(s));
    m_resolved.push_back({tag_id, name, "", true, true, false});
  }
}

// Platform tags no local tag resolved to, with members who are contacts here, by name.
void
Planner::resolve_platform_tags()
{
  for (const auto& [name, pid] : m_r.id_named) {
    if (m_claimed.count(pid))
      continue;
    const Ids& known = ids_at(m_r.known, pid);
    if (known.empty())
      continue;
    std::int64_t tag_id = 0;
    if (auto same = m_l.tag_named.find(name); same != m_l.tag_named.end()) {
      tag_id = same->second;
      if (auto mapped = m_l.pid_of.find(tag_id); mapped != m_l.pid_of.end()) {
        conflict(name, tag_id, pid, {known.begin(), known.end()}, "name_taken",
                 fmt::format("the tag '{}' here is synced with platform tag {}: the platform's tag of this name "
                             "(id {}) is not pulled",
                             name, mapped->second, pid));
        continue;
      }
    }
    TagStep s = step(TagAction::map, name, tag_id, pid);
    s.reason = tag_id == 0 ? "new on the platform: created here" : "the platform has a tag of this name";
    m_tag_level.push_back(std::move(s));
    m_resolved.push_back({tag_id, name, pid, true, false, m_r.by_id.at(pid).system});
    m_claimed.insert(pid);
  }
}

// Each member of each resolved tag: here (l), there (p), agreed at the last sync (b).
void
Planner::diff_members()
{
  std::sort(m_resolved.begin(), m_resolved.end(), [](const Resolved& a, const Resolved& b) { return a.name < b.name; });
  struct Push {
    const Resolved* r;
    std::vector<std::int64_t> fresh, again;
  };
  std::vector<Push> pushes;
  std::map<std::string, std::size_t> per_user = m_r.tags_per_user;
  const std::map<std::int64_t, std::string> nobody;
  for (const auto& r : m_resolved) {
    auto lit = m_l.members.find(r.tag_id);
    const auto& here = r.tag_id != 0 && lit != m_l.members.end() ? lit->second : nobody;
    const Ids& there = r.created ? k_none : ids_at(m_r.known, r.pid);
    const Ids& before = r.fresh ? k_none : ids_at(m_l.synced, r.tag_id);
    Ids all(there.begin(), there.end());
    all.insert(before.begin(), before.end());
    for (const auto& [c, source] : here)
      all.insert(c);

    std::vector<std::int64_t> agreed, forgotten, untag, pull, drop, held;
    Push push{&r, {}, {}};
    for (auto c : all) {
      auto h = here.find(c);
      bool l = h != here.end(), p = there.count(c) > 0, b = before.count(c) > 0;
      if (l && p) {
        if (!b)
          agreed.push_back(c);
      } else if (!l && !p) {
        forgotten.push_back(c);
      } else if (l && !b) {
        push.fresh.push_back(c);
      } else if (l) { // the platform dropped it since the last sync
        if (h->second == "platform")
          drop.push_back(c);
        else
          push.again.push_back(c);
      } else if (!b) {
        pull.push_back(c);
      } else if (r.system) { // removed here since the last sync, but the platform's own tag
        held.push_back(c);
      } else {
        untag.push_back(c);
      }
    }
    if (!agreed.empty())
      m_records.push_back({r.name, r.tag_id, agreed, true});
    if (!forgotten.empty())
      m_records.push_back({r.name, r.tag_id, forgotten, false});
    members_step(m_untag, TagAction::untag, r, untag, "untagged_here", "untagged here since the last sync");
    members_step(m_pull, TagAction::pull, r, pull, "", "tagged on the platform");
    members_step(m_drop, TagAction::drop, r, drop, "", "untagged on the platform since the last sync");
    if (!held.empty())
      conflict(r.name, r.tag_id, r.pid, held, "system_tag",
               fmt::format("untagged here, but '{}' is one of the platform's own tags: svc does not untag users there",
                           r.name));
    for (auto c : untag)
      --per_user[m_l.user_of.at(c)];
    pushes.push_back(std::move(push));
  }
  // Pushes after every untag, so that users freed of a tag can take another.
  for (auto& push : pushes) {
    const Resolved& r = *push.r;
    if (r.system) {
      std::vector<std::int64_t> all = push.fresh;
      all.insert(all.end(), push.again.begin(), push.again.end());
      if (!all.empty())
        conflict(r.name, r.tag_id, r.pid, all, "system_tag",
                 fmt::format("'{}' is one of the platform's own tags: svc does not tag users with it", r.name));
      continue;
    }
    std::vector<std::int64_t> full;
    auto fits = [&](std::vector<std::int64_t>& who) {
      std::vector<std::int64_t> ok;
      for (auto c : who) {
        auto& n = per_user[m_l.user_of.at(c)];
        if (n >= m_limits.max_tags_per_user) {
          full.push_back(c);
        } else {
          ++n;
          ok.push_back(c);
        }
      }
      who = std::move(ok);
    };
    fits(push.fresh);
    fits(push.again);
    members_step(m_tag, TagAction::tag, r, push.fresh, "", "tagged here");
    members_step(m_tag, TagAction::tag, r, push.again, "untagged_there",
                 "untagged on the platform since the last sync, but set here: tagged again");
    if (!full.empty())
      conflict(r.name, r.tag_id, r.pid, full, "user_tag_limit",
               fmt::format("these users carry the platform's limit of {} tags already: not tagged there",
                           m_limits.max_tags_per_user));
  }
}

void
Planner::skip_unknown_users()
{
  std::map<std::string, std::string> local_name; // platform tag id -> the local tag it resolved to
  for (const auto& r : m_resolved)
    local_name[r.pid] = r.name;
  for (const auto& [name, pid] : m_r.id_named) {
    auto unknown = m_r.unknown.find(pid);
    if (unknown == m_r.unknown.end() || unknown->second.empty())
      continue;
    auto resolved = local_name.find(pid);
    TagStep s = step(TagAction::skip, resolved == local_name.end() ? name : resolved->second, 0, pid);
    if (auto t = m_l.tag_named.find(s.tag); t != m_l.tag_named.end())
      s.tag_id = t->second;
    s.user_ids = unknown->second;
    s.reason = "tagged there, but not contacts of this account: left as they are";
    m_skip.push_back(std::move(s));
  }
}

TagSyncPlan
Planner::finish(std::int64_t account_id)
{
  TagSyncPlan plan;
  plan.account_id = account_id;
  plan.limits = m_limits;
  for (auto* part : {&m_tag_level, &m_untag, &m_tag, &m_pull, &m_drop, &m_skip, &m_conflicts})
    for (auto& s : *part)
      plan.steps.push_back(std::move(s));
  plan.records = std::move(m_records);
  return plan;
}

} // namespace

std::string_view
to_string(TagAction action)
{
  switch (action) {
  case TagAction::create: return "create";
  case TagAction::map: return "map";
  case TagAction::unmap: return "unmap";
  case TagAction::untag: return "untag";
  case TagAction::tag: return "tag";
  case TagAction::pull: return "pull";
  case TagAction::drop: return "drop";
  case TagAction::skip: return "skip";
  case TagAction::conflict: return "conflict";
  }
  return "conflict";
}

TagSyncPlan
plan_tag_sync(std::int64_t account_id, const store::TagSyncSnapshot& local, const PlatformTags& platform,
              const channels::TagLimits& limits)
{
  Local l = index(local);
  Remote r = index(platform, l);
  Planner planner(l, r, limits, platform.tags.size());
  planner.resolve_local_tags();
  planner.resolve_platform_tags();
  planner.diff_members();
  planner.skip_unknown_users();
  return planner.finish(account_id);
}

int
batches(std::size_t users, std::size_t max_batch)
{
  return max_batch == 0 ? 0 : static_cast<int>((users + max_batch - 1) / max_batch);
}

TagSyncSummary
summarize(const TagSyncPlan& plan)
{
  TagSyncSummary s;
  for (const auto& step : plan.steps) {
    int n = static_cast<int>(step.contacts.size());
    switch (step.action) {
    case TagAction::create: ++s.create; break;
    case TagAction::map: ++s.map; break;
    case TagAction::unmap: ++s.unmap; break;
    case TagAction::untag:
      s.untag += n;
      s.untag_batches += batches(step.user_ids.size(), plan.limits.max_batch);
      break;
    case TagAction::tag:
      s.tag += n;
      s.tag_batches += batches(step.user_ids.size(), plan.limits.max_batch);
      break;
    case TagAction::pull: s.pull += n; break;
    case TagAction::drop: s.drop += n; break;
    case TagAction::skip: s.skipped += static_cast<int>(step.user_ids.size()); break;
    case TagAction::conflict: ++s.conflicts; break;
    }
  }
  return s;
}

Status
tag_sync_outcome(const TagSyncPlan& plan)
{
  int conflicts = summarize(plan).conflicts;
  if (conflicts == 0)
    return {};
  return make_error(ErrorKind::conflict, "{} conflict{} left as {} (listed in the plan)", conflicts,
                    conflicts == 1 ? "" : "s", conflicts == 1 ? "it is" : "they are")
    .with_hint("docs/tag-sync.md says how to settle each kind; svc tag sync ACCOUNT --dry-run lists them again");
}

} // namespace svc::contacts
