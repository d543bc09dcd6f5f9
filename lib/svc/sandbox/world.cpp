// World operations: adding fans and messages while keeping every stream sorted and every index map
// in step. Generation of the initial world lives in world_generate.cpp.
#include <svc/sandbox/world.hpp>

#include <algorithm>
#include <charconv>

namespace svc::sandbox {

namespace {

std::optional<std::int64_t>
to_int64(const std::string& s)
{
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

// The client a fan's status or comment came from (1..3), drawn from its id.
int
fan_source(std::int64_t id)
{
  return 1 + static_cast<int>(static_cast<std::uint64_t>(id) % 3);
}

// Appends a status (or a comment, see add_comment) and indexes it by id; returns its index.
template <class T>
std::size_t
append_indexed(std::vector<T>& list, std::unordered_map<std::int64_t, std::size_t>& by_id, T item)
{
  list.push_back(std::move(item));
  by_id[list.back().id] = list.size() - 1;
  return list.size() - 1;
}

std::size_t
add_comment(World& world, WeiboComment c)
{
  world.statuses[c.status].comments_count++;
  return append_indexed(world.comments, world.comment_by_id, std::move(c));
}

} // namespace

std::int64_t
World::next_weibo_id()
{
  // Real ids are 16-digit numbers that grow with time; gaps between them are irregular.
  m_last_weibo_id += 1 + static_cast<std::int64_t>(m_id_rng.below(50000));
  return m_last_weibo_id;
}

std::string
World::display_name(int person) const
{
  return person == k_owner ? accounts.weibo_name : people[static_cast<std::size_t>(person)].name;
}

int
World::person_for(const std::string& platform, const std::string& name, const std::string& platform_id)
{
  // The fan known on this platform by `id` (in `index`, the map of `field`), else a new fan who takes
  // that id in place of the one generated for them.
  auto known_as = [&]<class Id>(std::unordered_map<Id, int>& index, Id Person::*field, const Id& id,
                                const std::string& default_name) {
    if (auto it = index.find(id); it != index.end()) {
      return it->second;
    }
    int p = add_person(m_id_rng, name.empty() ? default_name : name);
    auto& person = people[static_cast<std::size_t>(p)];
    index.erase(person.*field);
    person.*field = id;
    index[id] = p;
    return p;
  };
  if (!platform_id.empty()) {
    if (platform == "weibo") {
      if (auto uid = to_int64(platform_id)) {
        return known_as(person_by_uid, &Person::weibo_uid, *uid, "用户" + platform_id);
      }
    } else if (platform == "wechat") {
      return known_as(person_by_openid, &Person::openid, platform_id, "微信用户");
    } else if (platform == "telegram") {
      if (auto id = to_int64(platform_id)) {
        return known_as(person_by_telegram, &Person::telegram_id, *id, "User " + platform_id);
      }
    }
  }
  if (auto it = person_by_name.find(name); it != person_by_name.end()) {
    return it->second;
  }
  return add_person(m_id_rng, name);
}

std::size_t
World::add_owner_post(const std::string& text, UnixTime t)
{
  std::size_t idx = append_indexed(statuses, status_by_id,
                                   WeiboStatus{.id = next_weibo_id(),
                                               .created_at = t,
                                               .text = text,
                                               .author = k_owner,
                                               .source = 0,
                                               .comments_count = 0});
  owner_posts.push_back(idx);
  owner_last_status = static_cast<int>(idx);
  return idx;
}

std::size_t
World::latest_owner_post(UnixTime t)
{
  if (owner_posts.empty()) {
    return add_owner_post("欢迎关注！有任何问题都可以在评论区留言 😊", t);
  }
  return owner_posts.back();
}

std::size_t
World::add_owner_comment(std::size_t status, std::optional<std::size_t> reply_to, const std::string& text,
                         UnixTime t)
{
  return add_comment(*this, {.id = next_weibo_id(),
                             .created_at = t,
                             .text = text,
                             .author = k_owner,
                             .status = status,
                             .reply_to = reply_to,
                             .source = 0});
}

std::size_t
World::add_weibo_comment(int author, std::size_t status, std::optional<std::size_t> reply_to,
                         const std::string& body, UnixTime t)
{
  std::int64_t id = next_weibo_id();
  std::size_t idx = add_comment(*this, {.id = id,
                                        .created_at = t,
                                        .text = body,
                                        .author = author,
                                        .status = status,
                                        .reply_to = reply_to,
                                        .source = fan_source(id)});
  if (statuses[status].author == k_owner) {
    comments_to_me.push_back(idx);
  }
  const auto& p = people[static_cast<std::size_t>(author)];
  inbound.push_back({"weibo", "comment", std::to_string(id), p.name, std::to_string(p.weibo_uid), body, t});
  return idx;
}

std::size_t
World::add_weibo_comment_mention(int author, const std::string& body, UnixTime t)
{
  auto& p = people[static_cast<std::size_t>(author)];
  if (p.last_status < 0) {
    p.last_status = static_cast<int>(append_indexed(statuses, status_by_id,
                                                    WeiboStatus{.id = next_weibo_id(),
                                                                .created_at = t,
                                                                .text = "分享一下今天的心情 ☀️",
                                                                .author = author,
                                                                .source = 1,
                                                                .comments_count = 0}));
  }
  std::string mention = "@" + accounts.weibo_name;
  std::string text = body.find(mention) == std::string::npos ? mention + " " + body : body;
  std::int64_t id = next_weibo_id();
  std::size_t idx = add_comment(*this, {.id = id,
                                        .created_at = t,
                                        .text = text,
                                        .author = author,
                                        .status = static_cast<std::size_t>(p.last_status),
                                        .reply_to = std::nullopt,
                                        .source = fan_source(id)});
  comment_mentions.push_back(idx);
  inbound.push_back({"weibo", "mention", std::to_string(id), p.name, std::to_string(p.weibo_uid), text, t});
  return idx;
}

std::size_t
World::add_weibo_status_mention(int author, const std::string& body, UnixTime t)
{
  auto& p = people[static_cast<std::size_t>(author)];
  std::string mention = "@" + accounts.weibo_name;
  std::string text = body.find(mention) == std::string::npos ? mention + " " + body : body;
  std::int64_t id = next_weibo_id();
  std::size_t idx = append_indexed(statuses, status_by_id,
                                   WeiboStatus{.id = id,
                                               .created_at = t,
                                               .text = text,
                                               .author = author,
                                               .source = fan_source(id),
                                               .comments_count = 0});
  status_mentions.push_back(idx);
  p.last_status = static_cast<int>(idx);
  p.statuses++;
  inbound.push_back({"weibo", "mention", std::to_string(id), p.name, std::to_string(p.weibo_uid), text, t});
  return idx;
}

std::size_t
World::add_weibo_dm(int author, const std::string& text, UnixTime t)
{
  WeiboDm dm{next_weibo_id(), t, text, author};
  weibo_dms.push_back(dm);
  const auto& p = people[static_cast<std::size_t>(author)];
  inbound.push_back({"weibo", "dm", std::to_string(dm.id), p.name, std::to_string(p.weibo_uid), text, t});
  return weibo_dms.size() - 1;
}

std::size_t
World::add_wechat_inbound(int person, const std::string& text, UnixTime t)
{
  // getmsglist pages by time, so records stay sorted even if the clock stepped back.
  if (!records.empty()) {
    t = std::max(t, records.back().time);
  }
  int same = 0;
  for (auto it = records.rbegin(); it != records.rend() && it->time == t; ++it) {
    if (it->person == person && it->opercode == 2003) {
      ++same;
    }
  }
  records.push_back({person, 2003, text, t, same});
  last_inbound_wechat[static_cast<std::size_t>(person)] = t;
  const auto& p = people[static_cast<std::size_t>(person)];
  inbound.push_back({"wechat", "dm", p.openid + ":" + std::to_string(t) + ":" + std::to_string(same), p.name,
                     p.openid, text, t});
  return records.size() - 1;
}

std::size_t
World::add_wechat_outbound(int person, const std::string& text, UnixTime t)
{
  if (!records.empty()) {
    t = std::max(t, records.back().time);
  }
  records.push_back({person, 2002, text, t, 0});
  return records.size() - 1;
}

std::size_t
World::add_telegram_inbound(int person, const std::string& text, UnixTime t)
{
  auto& chat = chats[static_cast<std::size_t>(person)];
  std::int64_t message_id = chat.empty() ? 1 + static_cast<std::int64_t>(m_id_rng.below(400))
                                         : chat.back().message_id + 1;
  chat.push_back({message_id, false, t, text, std::nullopt});
  updates.push_back({++m_last_update_id, person, chat.size() - 1});
  const auto& p = people[static_cast<std::size_t>(person)];
  inbound.push_back({"telegram", "dm", std::to_string(p.telegram_id) + ":" + std::to_string(message_id),
                     p.name, std::to_string(p.telegram_id), text, t});
  return updates.size() - 1;
}

std::size_t
World::add_telegram_outbound(int person, const std::string& text, std::optional<std::int64_t> reply_to,
                             UnixTime t)
{
  auto& chat = chats[static_cast<std::size_t>(person)];
  std::int64_t message_id = chat.empty() ? 1 : chat.back().message_id + 1;
  chat.push_back({message_id, true, t, text, reply_to});
  return chat.size() - 1;
}

const TelegramMessage*
World::telegram_message(int person, std::int64_t message_id) const
{
  const auto& chat = chats[static_cast<std::size_t>(person)];
  auto it = std::lower_bound(chat.begin(), chat.end(), message_id,
                             [](const TelegramMessage& m, std::int64_t id) { return m.message_id < id; });
  if (it == chat.end() || it->message_id != message_id) {
    return nullptr;
  }
  return &*it;
}

} // namespace svc::sandbox
