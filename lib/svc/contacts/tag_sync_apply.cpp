// Tag sync against the platform: reading its side, and applying a plan step by step (tag_sync.hpp).
#include <svc/contacts/tag_sync.hpp>

#include <fmt/format.h>

namespace svc::contacts {

namespace {

bool
tag_level(TagAction a)
{
  return a == TagAction::create || a == TagAction::map || a == TagAction::unmap;
}

std::string
plural(std::size_t n, const char* word)
{
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// What an apply knows as it goes: the local id and platform id of each tag by name (a tag created or
// pulled under a new name gets them from the step that creates it).
class Applier
{
public:
  Applier(store::Store& store, channels::UserTagApi& api, const TagSyncPlan& plan,
          const std::function<void(const std::string&)>& report)
    : m_store(store), m_repo(store.tag_sync()), m_api(api), m_plan(plan), m_report(report)
  {
    for (const auto& s : plan.steps) {
      if (s.tag_id != 0)
        m_ids[s.tag] = s.tag_id;
      if (!s.platform_tag_id.empty() && s.action != TagAction::unmap && s.action != TagAction::skip
          && s.action != TagAction::conflict)
        m_pids[s.tag] = s.platform_tag_id;
    }
  }

  Status run()
  {
    bool recorded = false;
    for (const auto& s : m_plan.steps) {
      if (!recorded && !tag_level(s.action)) {
        SVC_CHECK(records());
        recorded = true;
      }
      SVC_CHECK(apply(s));
    }
    if (!recorded)
      SVC_CHECK(records());
    return m_repo.touch(m_plan.account_id);
  }

private:
  Result<std::int64_t> local_id(const std::string& tag)
  {
    if (auto it = m_ids.find(tag); it != m_ids.end())
      return it->second;
    SVC_TRY(id, m_repo.ensure_tag(tag));
    m_ids[tag] = id;
    return id;
  }

  Status map(const std::string& tag, const std::string& pid)
  {
    return m_store.transaction([&]() -> Status {
      SVC_TRY(id, local_id(tag));
      SVC_CHECK(m_repo.map(m_plan.account_id, id, pid));
      m_pids[tag] = pid;
      return {};
    });
  }

  // Agreed memberships, written once the tags are mapped: before any member changes, so that a run
  // stopped half-way still leaves an exact record of what both sides had.
  Status records()
  {
    return m_store.transaction([&]() -> Status {
      for (const auto& r : m_plan.records) {
        SVC_TRY(id, local_id(r.tag));
        SVC_CHECK(m_repo.set_synced(m_plan.account_id, id, r.contacts, r.agreed));
      }
      return {};
    });
  }

  Status batches(const TagStep& s, bool tag)
  {
    std::size_t size = std::max<std::size_t>(1, m_plan.limits.max_batch);
    int total = contacts::batches(s.user_ids.size(), size);
    auto pid = m_pids.find(s.tag);
    if (pid == m_pids.end())
      return make_error(ErrorKind::failed, "the tag '{}' has no platform id to {}", s.tag, tag ? "tag" : "untag");
    for (std::size_t i = 0, n = 1; i < s.user_ids.size(); i += size, ++n) {
      std::size_t end = std::min(s.user_ids.size(), i + size);
      std::vector<std::string> users(s.user_ids.begin() + static_cast<std::ptrdiff_t>(i),
                                     s.user_ids.begin() + static_cast<std::ptrdiff_t>(end));
      std::vector<std::int64_t> who(s.contacts.begin() + static_cast<std::ptrdiff_t>(i),
                                    s.contacts.begin() + static_cast<std::ptrdiff_t>(end));
      std::string what = fmt::format("{} {} {} '{}' (batch {}/{})", tag ? "tagging" : "untagging",
                                     plural(users.size(), "contact"), tag ? "with" : "from", s.tag, n, total);
      Status sent = tag ? m_api.tag_users(pid->second, users) : m_api.untag_users(pid->second, users);
      if (!sent)
        return sent.error().prefixed(what);
      SVC_TRY(id, local_id(s.tag));
      SVC_CHECK(m_repo.set_synced(m_plan.account_id, id, who, tag));
      m_report(fmt::format("{} {} {} '{}' on the platform (batch {}/{})", tag ? "tagged" : "untagged",
                           plural(users.size(), "contact"), tag ? "with" : "from", s.tag, n, total));
    }
    return {};
  }

  Status apply(const TagStep& s)
  {
    switch (s.action) {
    case TagAction::create: {
      auto made = m_api.create_tag(s.tag);
      if (!made)
        return made.error().prefixed(fmt::format("creating the tag '{}' on the platform", s.tag));
      SVC_CHECK(map(s.tag, made->id));
      m_report(fmt::format("created the tag '{}' on the platform (id {})", s.tag, made->id));
      return {};
    }
    case TagAction::map:
      SVC_CHECK(map(s.tag, s.platform_tag_id));
      m_report(fmt::format("synced the tag '{}' with platform tag {}", s.tag, s.platform_tag_id));
      return {};
    case TagAction::unmap:
      SVC_CHECK(m_repo.unmap(m_plan.account_id, s.tag_id));
      m_report(fmt::format("forgot platform tag {} of the tag '{}'", s.platform_tag_id, s.tag));
      return {};
    case TagAction::untag: return batches(s, false);
    case TagAction::tag: return batches(s, true);
    case TagAction::pull:
    case TagAction::drop: {
      bool pull = s.action == TagAction::pull;
      SVC_CHECK(m_store.transaction([&]() -> Status {
        SVC_TRY(id, local_id(s.tag));
        SVC_CHECK(pull ? m_repo.pull(id, s.contacts) : m_repo.drop(id, s.contacts));
        return m_repo.set_synced(m_plan.account_id, id, s.contacts, pull);
      }));
      m_report(fmt::format("{} the tag '{}' {} {} here", pull ? "put" : "took", s.tag, pull ? "on" : "off",
                           plural(s.contacts.size(), "contact")));
      return {};
    }
    case TagAction::skip:
    case TagAction::conflict: return {};
    }
    return {};
  }

  store::Store& m_store;
  store::TagSyncRepository& m_repo;
  channels::UserTagApi& m_api;
  const TagSyncPlan& m_plan;
  const std::function<void(const std::string&)>& m_report;
  std::map<std::string, std::int64_t> m_ids;
  std::map<std::string, std::string> m_pids;
};

} // namespace

Result<PlatformTags>
read_platform_tags(channels::UserTagApi& api)
{
  PlatformTags out;
  SVC_TRY(tags, api.list_tags());
  for (const auto& t : tags) {
    if (t.count <= 0)
      continue;
    auto members = api.members(t.id);
    if (!members)
      return std::move(members).error().prefixed(fmt::format("reading the members of platform tag {}", t.id));
    out.members[t.id] = std::move(*members);
  }
  out.tags = std::move(tags);
  return out;
}

Status
apply_tag_sync(store::Store& store, channels::UserTagApi& api, const TagSyncPlan& plan,
               const std::function<void(const std::string&)>& report)
{
  return Applier(store, api, plan, report).run();
}

} // namespace svc::contacts
