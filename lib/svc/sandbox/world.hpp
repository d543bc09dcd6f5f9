// The sandbox's world: one business account on each platform and the fans who write to it, with
// every inbound and outbound message. Plain data plus the operations that add to it; the server
// guards it with one mutex. Every per-platform stream is a vector kept sorted by id (appends only,
// ids grow with time), so requests binary-search their cursors instead of scanning.
//
// platform_message_id conventions (also used by GET /_sandbox/messages):
//   weibo     the comment or status id as a decimal string (DMs: a sandbox id from the same sequence);
//   wechat    "<openid>:<time>:<n>", n = how many earlier inbound records of that openid have the same
//             time (0 for the first), which a client can compute from getmsglist records alone;
//   telegram  "<chat_id>:<message_id>".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/sandbox/rng.hpp>

namespace svc::sandbox {

// One fan, present on all three platforms under different ids.
struct Person {
  std::string name;  // display name: weibo screen_name, wechat nickname, telegram first (+ last) name
  std::int64_t weibo_uid = 0;
  std::string openid;
  std::int64_t telegram_id = 0;
  std::string tg_first, tg_last, tg_username, lang;
  std::string gender;  // "m", "f", "n"
  std::string province, city, location, description;
  int followers = 0, friends = 0, statuses = 0;
  UnixTime created_at = 0;
  UnixTime subscribe_time = 0;
  std::vector<int> tag_ids;
  int last_status = -1;  // index of the person's latest weibo status, -1 if none
};

constexpr int k_owner = -1;  // "person" index of the business account itself

struct WeiboStatus {
  std::int64_t id = 0;
  UnixTime created_at = 0;
  std::string text;
  int author = k_owner;
  int source = 0;
  int comments_count = 0;
};

struct WeiboComment {
  std::int64_t id = 0;
  UnixTime created_at = 0;
  std::string text;
  int author = k_owner;
  std::size_t status = 0;         // index into statuses
  std::optional<std::size_t> reply_to;  // index into comments
  int source = 0;
};

struct WeiboDm {
  std::int64_t id = 0;
  UnixTime created_at = 0;
  std::string text;
  int author = 0;
};

struct WechatRecord {
  int person = 0;
  int opercode = 2003;  // 2003 received from the user, 2002 sent by an agent
  std::string text;
  UnixTime time = 0;
  int same_second = 0;  // see platform_message_id above (inbound records only)
};

struct WechatTag {
  int id = 0;
  std::string name;
};

struct TelegramMessage {
  std::int64_t message_id = 0;
  bool from_bot = false;
  UnixTime date = 0;
  std::string text;
  std::optional<std::int64_t> reply_to;  // message_id in the same chat
};

struct TelegramUpdate {
  std::int64_t update_id = 0;
  int person = 0;
  std::size_t message = 0;  // index into the chat's messages
};

// One entry of GET /_sandbox/messages.
struct Inbound {
  std::string platform, channel, platform_message_id, from, from_id, text;
  UnixTime created_at = 0;
};

struct Accounts {
  // weibo
  std::string weibo_token, weibo_app_key, weibo_app_secret, weibo_name;
  std::int64_t weibo_uid = 0;
  UnixTime weibo_token_created = 0;
  // wechat
  std::string wechat_app_id, wechat_secret, wechat_callback_token, wechat_worker;
  // telegram
  std::string telegram_token, telegram_username, telegram_name;
  std::string telegram_webhook_secret;  // the secret_token its webhook pushes carry
  std::int64_t telegram_bot_id = 0;
};

class World
{
public:
  Accounts accounts;
  std::vector<Person> people;
  std::unordered_map<std::int64_t, int> person_by_uid;
  std::unordered_map<std::string, int> person_by_openid;
  std::unordered_map<std::int64_t, int> person_by_telegram;
  std::unordered_map<std::string, int> person_by_name;

  // weibo
  std::vector<WeiboStatus> statuses;
  std::unordered_map<std::int64_t, std::size_t> status_by_id;
  std::vector<std::size_t> owner_posts;       // indices into statuses
  std::vector<std::size_t> status_mentions;   // statuses @mentioning the owner
  std::vector<WeiboComment> comments;
  std::unordered_map<std::int64_t, std::size_t> comment_by_id;
  std::vector<std::size_t> comments_to_me;    // comments by fans on the owner's posts
  std::vector<std::size_t> comment_mentions;  // comments @mentioning the owner
  std::vector<WeiboDm> weibo_dms;
  int owner_last_status = -1;

  // wechat
  std::vector<WechatRecord> records;          // sorted by time; msgid = index + 1
  std::vector<UnixTime> last_inbound_wechat;  // per person, 0 = never wrote (or unfollowed since)
  std::unordered_map<int, UnixTime> wechat_event_at;  // person -> last follow or menu click (1-minute window)
  std::vector<WechatTag> tags;
  int next_tag_id = 100;

  // telegram
  std::vector<std::vector<TelegramMessage>> chats;  // per person, sorted by message_id
  std::vector<TelegramUpdate> updates;              // sorted by update_id
  std::int64_t confirmed_offset = 0;                // updates below it are confirmed

  std::vector<Inbound> inbound;

  // Builds the accounts, the fans and `size` inbound messages spread over the three days before
  // `now`, all from `seed`.
  void generate(std::uint64_t seed, int size, UnixTime now);

  // The fan with this display name, creating one (with fresh ids on every platform) if none. A
  // non-empty `platform_id` selects the fan by that platform's id instead (weibo uid, openid,
  // telegram id), creating one with that id if unknown.
  int person_for(const std::string& platform, const std::string& name, const std::string& platform_id);

  // Inbound messages, each also appended to `inbound`; they return the index of the new object.
  std::size_t add_weibo_comment(int author, std::size_t status, std::optional<std::size_t> reply_to,
                                const std::string& body, UnixTime t);
  std::size_t add_weibo_comment_mention(int author, const std::string& body, UnixTime t);
  std::size_t add_weibo_status_mention(int author, const std::string& body, UnixTime t);
  std::size_t add_weibo_dm(int author, const std::string& text, UnixTime t);
  std::size_t add_wechat_inbound(int person, const std::string& text, UnixTime t);
  std::size_t add_telegram_inbound(int person, const std::string& text, UnixTime t);

  // Outbound (not listed in `inbound`).
  std::size_t add_owner_post(const std::string& text, UnixTime t);
  std::size_t add_owner_comment(std::size_t status, std::optional<std::size_t> reply_to,
                                const std::string& text, UnixTime t);
  std::size_t add_wechat_outbound(int person, const std::string& text, UnixTime t);
  std::size_t add_telegram_outbound(int person, const std::string& text,
                                    std::optional<std::int64_t> reply_to, UnixTime t);

  // The owner's newest post, creating one if there is none.
  std::size_t latest_owner_post(UnixTime t);
  // The message with this id in a person's telegram chat, or null.
  const TelegramMessage* telegram_message(int person, std::int64_t message_id) const;
  std::string display_name(int person) const;

  // Deterministic content for generated traffic.
  std::string random_text(Rng& rng) const;
  // A generated inbound message of a random platform and channel at time `t`.
  void add_random_inbound(Rng& rng, UnixTime t);

private:
  std::int64_t next_weibo_id();
  std::int64_t m_last_weibo_id = 0;
  std::int64_t m_last_update_id = 0;
  std::uint64_t m_seed = 0;
  Rng m_id_rng{0};
  int add_person(Rng& rng, const std::string& name);
};

} // namespace svc::sandbox
