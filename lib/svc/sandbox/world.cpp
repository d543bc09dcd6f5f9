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
  if (!platform_id.empty()) {
    if (platform == "weibo") {
      if (auto uid = to_int64(platform_id)) {
        if (auto it = person_by_uid.find(*uid); it != person_by_uid.end()) {
          return it->second;
        }
        int p = add_person(m_id_rng, name.empty() ? "用户" + platform_id : name);
        auto& person = people[static_cast<std::size_t>(p)];
        person_by_uid.erase(person.weibo_uid);
        person.weibo_uid = *uid;
        person_by_uid[*uid] = p;
        return p;
      }
    } else if (platform == "wechat") {
      if (auto it = person_by_openid.find(platform_id); it != person_by_openid.end()) {
        return it->second;
      }
      int p = add_person(m_id_rng, name.empty() ? "微信用户" : name);
      auto& person = people[static_cast<std::size_t>(p)];
      person_by_openid.erase(person.openid);
      person.openid = platform_id;
      person_by_openid[platform_id] = p;
      return p;
    } else if (platform == "telegram") {
      if (auto id = to_int64(platform_id)) {
        if (auto it = person_by_telegram.find(*id); it != person_by_telegram.end()) {
          return it->second;
        }
        int p = add_person(m_id_rng, name.empty() ? "User " + platform_id : name);
        auto& person = people[static_cast<std::size_t>(p)];
        person_by_telegram.erase(person.telegram_id);
        person.telegram_id = *id;
        person_by_telegram[*id] = p;
        return p;
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
  WeiboStatus s;
  s.id = next_weibo_id();
  s.created_at = t;
  s.text = text;
  s.author = k_owner;
  s.source = 0;
  statuses.push_back(std::move(s));
  std::size_t idx = statuses.size() - 1;
  status_by_id[statuses[idx].id] = idx;
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
  WeiboComment c;
  c.id = next_weibo_id();
  c.created_at = t;
  c.text = text;
  c.author = k_owner;
  c.status = status;
  c.reply_to = reply_to;
  c.source = 0;
  comments.push_back(std::move(c));
  std::size_t idx = comments.size() - 1;
  comment_by_id[comments[idx].id] = idx;
  statuses[status].comments_count++;
  return idx;
}

std::size_t
World::add_weibo_comment(int author, std::size_t status, std::optional<std::size_t> reply_to,
                         const std::string& body, UnixTime t)
{
  WeiboComment c;
  c.id = next_weibo_id();
  c.created_at = t;
  c.text = body;
  c.author = author;
  c.status = status;
  c.reply_to = reply_to;
  c.source = 1 + static_cast<int>(static_cast<std::uint64_t>(c.id) % 3);
  comments.push_back(std::move(c));
  std::size_t idx = comments.size() - 1;
  const auto& added = comments[idx];
  comment_by_id[added.id] = idx;
  statuses[status].comments_count++;
  if (statuses[status].author == k_owner) {
    comments_to_me.push_back(idx);
  }
  const auto& p = people[static_cast<std::size_t>(author)];
  inbound.push_back({"weibo", "comment", std::to_string(added.id), p.name, std::to_string(p.weibo_uid),
                     added.text, t});
  return idx;
}

std::size_t
World::add_weibo_comment_mention(int author, const std::string& body, UnixTime t)
{
  auto& p = people[static_cast<std::size_t>(author)];
  if (p.last_status < 0) {
    WeiboStatus s;
    s.id = next_weibo_id();
    s.created_at = t;
    s.text = "分享一下今天的心情 ☀️";
    s.author = author;
    s.source = 1;
    statuses.push_back(std::move(s));
    p.last_status = static_cast<int>(statuses.size() - 1);
    status_by_id[statuses.back().id] = statuses.size() - 1;
  }
  std::string mention = "@" + accounts.weibo_name;
  std::string text = body.find(mention) == std::string::npos ? mention + " " + body : body;
  WeiboComment c;
  c.id = next_weibo_id();
  c.created_at = t;
  c.text = text;
  c.author = author;
  c.status = static_cast<std::size_t>(p.last_status);
  c.source = 1 + static_cast<int>(static_cast<std::uint64_t>(c.id) % 3);
  comments.push_back(std::move(c));
  std::size_t idx = comments.size() - 1;
  comment_by_id[comments[idx].id] = idx;
  statuses[comments[idx].status].comments_count++;
  comment_mentions.push_back(idx);
  inbound.push_back({"weibo", "mention", std::to_string(comments[idx].id), p.name,
                     std::to_string(p.weibo_uid), text, t});
  return idx;
}

std::size_t
World::add_weibo_status_mention(int author, const std::string& body, UnixTime t)
{
  auto& p = people[static_cast<std::size_t>(author)];
  std::string mention = "@" + accounts.weibo_name;
  WeiboStatus s;
  s.id = next_weibo_id();
  s.created_at = t;
  s.text = body.find(mention) == std::string::npos ? mention + " " + body : body;
  s.author = author;
  s.source = 1 + static_cast<int>(static_cast<std::uint64_t>(s.id) % 3);
  statuses.push_back(std::move(s));
  std::size_t idx = statuses.size() - 1;
  status_by_id[statuses[idx].id] = idx;
  status_mentions.push_back(idx);
  p.last_status = static_cast<int>(idx);
  p.statuses++;
  inbound.push_back({"weibo", "mention", std::to_string(statuses[idx].id), p.name,
                     std::to_string(p.weibo_uid), statuses[idx].text, t});
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
