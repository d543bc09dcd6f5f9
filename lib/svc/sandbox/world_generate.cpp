// Generation of the initial world and of traffic: fans with names and profiles in several scripts,
// the owner's posts, and inbound messages spread over the three days before the start, all derived
// from the seed so that the same seed gives the same world.
#include <svc/sandbox/world.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace svc::sandbox {

namespace {

constexpr std::array<std::string_view, 48> k_names = {
  "小雨点", "晴天☀️", "阿杰", "王小明", "李娜娜", "张伟", "陈默", "林深见鹿", "一只猫🐱", "吃货小分队",
  "Lily🌸", "Tom Chen", "Emma Wang", "Jason", "Kevin_Liu", "Sophie ✨", "Мария", "Алексей", "たなか",
  "さくら🌸", "김민지", "박지훈", "Ahmed أحمد", "Fatima", "José", "Zoë", "奶茶不加糖🧋", "追风少年",
  "深夜食堂", "橘子汽水🍊", "程序员小周", "大鹏", "喵喵酱", "Leo🦁", "Nina", "老王", "月亮不睡我不睡🌙",
  "Chloé", "Ravi", "Priya", "小鱼儿🐟", "北京吃货", "上海小马", "广州阿东", "成都妹子🌶️", "Dmitri",
  "Anna K.", "清风徐来"};

struct Place {
  std::string_view province, city, location;
};
constexpr std::array<Place, 8> k_places = {{{"11", "5", "北京 朝阳区"},
                                             {"31", "1", "上海 黄浦区"},
                                             {"44", "1", "广东 广州"},
                                             {"44", "3", "广东 深圳"},
                                             {"51", "1", "四川 成都"},
                                             {"33", "1", "浙江 杭州"},
                                             {"35", "1", "福建 福州"},
                                             {"400", "16", "海外 其他"}}};

constexpr std::array<std::string_view, 8> k_descriptions = {
  "热爱生活，热爱美食 🍜", "Coffee addict ☕ | 摄影爱好者", "人生五十年，乃如梦如幻。", "",
  "程序员 / 猫奴 🐈", "Just here for the deals 🛍️", "旅行中 ✈️ 下一站：云南", "Люблю кофе и книги 📚"};

constexpr std::array<std::string_view, 40> k_bodies = {
  "请问什么时候发货？", "我的订单还没收到，能帮忙查一下吗？📦", "你好，我想咨询一下退款流程",
  "这个活动还有吗？🎉", "物流好慢啊😭", "能开发票吗？", "客服在吗？", "东西收到了，很喜欢！👍",
  "颜色和图片不一样，可以换货吗", "优惠券怎么用不了？", "Is the store open on Sunday?",
  "Thanks for the quick reply! 🙏", "Do you ship to Singapore?", "I was charged twice for my order.",
  "The app keeps crashing when I pay 😤", "Привет! Когда будет доставка?", "ありがとうございます🙏",
  "배송은 언제 되나요?", "¿Tienen tienda en Madrid?", "Merci beaucoup ! 😊", "新品什么时候上架？",
  "会员积分怎么兑换？", "包装破了，里面的杯子碎了 💔", "能不能便宜一点呀～", "支持七天无理由退货吗？",
  "已经等了一个星期了，还没有物流信息", "点赞👍👍👍", "求链接！", "这个尺码偏大还是偏小？",
  "Where can I find the user manual?", "我要投诉！快递员态度太差了", "谢谢客服小姐姐 ❤️",
  "第二件半价还有吗", "可以开专票吗？公司抬头已发私信", "我在北京，几天能到？", "好评！下次还来 😄",
  "Can I change my delivery address?", "订单号 20261121-8843，麻烦看一下", "什么时候补货啊🥺",
  "直播间的链接打不开"};

constexpr std::array<std::string_view, 6> k_owner_replies = {
  "您好，已为您查询，请私信订单号～", "感谢反馈，我们马上处理！", "亲，已经发货啦 🚚",
  "抱歉给您带来不便，请私信我们处理 🙏", "谢谢支持！", "活动还在进行中哦 🎉"};

constexpr std::array<std::string_view, 6> k_owner_posts = {
  "【新品上市】秋冬限定款今天开售，评论区抽三位送周边！🎁", "双十一活动预告：全场满300减50 🛒",
  "客服时间调整通知：每天 9:00-22:00 在线 ☎️", "感谢大家的支持，粉丝突破十万啦 🎉",
  "今天的直播回放已上传，欢迎观看 📺", "关于物流延迟的说明：受天气影响部分地区配送延迟，敬请谅解。"};

constexpr std::array<std::string_view, 5> k_langs = {"zh-hans", "en", "ru", "ja", "ko"};

} // namespace

int
World::add_person(Rng& rng, const std::string& name)
{
  Person p;
  p.name = name;
  do {
    p.weibo_uid = 1000000000 + static_cast<std::int64_t>(rng.below(6000000000ULL));
  } while (person_by_uid.count(p.weibo_uid) != 0 || p.weibo_uid == accounts.weibo_uid);
  // Openids are 28 characters: 'o', six characters fixed per official account, 21 per user.
  std::string prefix = "o" + Rng(m_seed ^ 0x0a11ULL).chars(k_alnum, 5) + "_";
  do {
    p.openid = prefix + rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 21);
  } while (person_by_openid.count(p.openid) != 0);
  do {
    p.telegram_id = 100000000 + static_cast<std::int64_t>(rng.below(7000000000ULL));
  } while (person_by_telegram.count(p.telegram_id) != 0);
  auto space = name.find(' ');
  p.tg_first = space == std::string::npos ? name : name.substr(0, space);
  p.tg_last = space == std::string::npos ? "" : name.substr(space + 1);
  p.tg_username = rng.chance(0.7) ? "user_" + rng.chars(k_alnum, 8) : "";
  p.lang = std::string(rng.pick(k_langs));
  p.gender = rng.chance(0.48) ? "m" : (rng.chance(0.95) ? "f" : "n");
  const auto& place = rng.pick(k_places);
  p.province = std::string(place.province);
  p.city = std::string(place.city);
  p.location = std::string(place.location);
  p.description = std::string(rng.pick(k_descriptions));
  p.followers = static_cast<int>(rng.below(5000));
  p.friends = static_cast<int>(rng.below(800));
  p.statuses = static_cast<int>(rng.below(3000));
  p.created_at = 1262304000 + static_cast<UnixTime>(rng.below(400000000));
  p.subscribe_time = 1500000000 + static_cast<UnixTime>(rng.below(250000000));
  people.push_back(std::move(p));
  int idx = static_cast<int>(people.size() - 1);
  const auto& added = people.back();
  person_by_uid[added.weibo_uid] = idx;
  person_by_openid[added.openid] = idx;
  person_by_telegram[added.telegram_id] = idx;
  person_by_name.emplace(added.name, idx);
  last_inbound_wechat.push_back(0);
  chats.emplace_back();
  return idx;
}

std::string
World::random_text(Rng& rng) const
{
  std::string text(rng.pick(k_bodies));
  if (rng.chance(0.15)) {
    text += rng.chance(0.5) ? " 🙂" : "!!";
  }
  return text;
}

void
World::add_random_inbound(Rng& rng, UnixTime t)
{
  int author = static_cast<int>(rng.below(people.size()));
  std::string body = random_text(rng);
  double kind = rng.unit();
  if (kind < 0.30) {
    // A comment on one of the owner's three newest posts, sometimes answering an earlier comment
    // there (with the "回复@name:" prefix the real site adds).
    std::size_t n = std::min<std::size_t>(3, owner_posts.size());
    std::size_t status = owner_posts.empty() ? latest_owner_post(t)
                                             : owner_posts[owner_posts.size() - 1 - rng.below(n)];
    std::optional<std::size_t> reply_to;
    if (rng.chance(0.25)) {
      for (std::size_t back = 0; back < 8 && back < comments.size(); ++back) {
        std::size_t i = comments.size() - 1 - back;
        if (comments[i].status == status && comments[i].author != author) {
          reply_to = i;
          body = "回复@" + display_name(comments[i].author) + ":" + body;
          break;
        }
      }
    }
    std::size_t c = add_weibo_comment(author, status, reply_to, body, t);
    if (rng.chance(0.15)) {
      add_owner_comment(status, c, "回复@" + display_name(author) + ":" + std::string(rng.pick(k_owner_replies)),
                        t);
    }
  } else if (kind < 0.38) {
    add_weibo_comment_mention(author, body, t);
  } else if (kind < 0.45) {
    add_weibo_status_mention(author, body, t);
  } else if (kind < 0.50) {
    add_weibo_dm(author, body, t);
  } else if (kind < 0.75) {
    add_wechat_inbound(author, body, t);
    if (rng.chance(0.3)) {
      add_wechat_outbound(author, std::string(rng.pick(k_owner_replies)), t);
    }
  } else {
    add_telegram_inbound(author, body, t);
    if (rng.chance(0.2)) {
      add_telegram_outbound(author, "Thanks, we are looking into it 👀", std::nullopt, t);
    }
  }
}

void
World::generate(std::uint64_t seed, int size, UnixTime now)
{
  m_seed = seed;
  Rng rng(seed);
  m_id_rng = Rng(seed ^ 0x9d2c5680a1b3e7f1ULL);

  accounts.weibo_uid = 5000000000 + static_cast<std::int64_t>(rng.below(900000000));
  accounts.weibo_token = "2.00" + rng.chars(k_alnum, 28);
  accounts.weibo_app_key = std::to_string(1 + rng.below(9)) + rng.chars(k_digits, 9);
  accounts.weibo_app_secret = rng.chars(k_hex, 32);
  accounts.weibo_name = "星河咖啡官方";
  accounts.weibo_token_created = now - 3 * 86400;
  accounts.wechat_app_id = "wx" + rng.chars(k_hex, 16);
  accounts.wechat_secret = rng.chars(k_hex, 32);
  accounts.wechat_callback_token = rng.chars(k_alnum, 16);
  accounts.wechat_worker = "kf2001@xinghe_coffee";
  accounts.telegram_bot_id = 6000000000 + static_cast<std::int64_t>(rng.below(900000000));
  accounts.telegram_token = std::to_string(accounts.telegram_bot_id) + ":AA" +
                            rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 33);
  accounts.telegram_username = "svc_sandbox_bot";
  // From its own stream, so adding it left the rest of every seeded world unchanged.
  accounts.telegram_webhook_secret = Rng(m_seed ^ 0x5ec7e7ULL).chars(k_alnum, 24);
  accounts.telegram_name = "Xinghe Coffee";

  m_last_weibo_id = 4900000000000000 + static_cast<std::int64_t>(rng.below(1000000000000ULL));
  m_last_update_id = 100000000 + static_cast<std::int64_t>(rng.below(800000000));
  tags = {{2, "星标组"}, {100, "VIP客户"}, {101, "广东"}};
  next_tag_id = 102;

  size = std::max(size, 0);
  std::size_t fans = std::clamp<std::size_t>(24 + static_cast<std::size_t>(size) / 50, 24, 2000);
  std::vector<std::string_view> names(k_names.begin(), k_names.end());
  for (std::size_t i = names.size(); i > 1; --i) {
    std::swap(names[i - 1], names[rng.below(i)]);
  }
  for (std::size_t i = 0; i < fans; ++i) {
    std::string name(names[i % names.size()]);
    if (i >= names.size()) {
      name += std::to_string(i / names.size() + 1);
    }
    int p = add_person(rng, name);
    if (rng.chance(0.2)) {
      people[static_cast<std::size_t>(p)].tag_ids.push_back(100);
    }
  }

  const UnixTime span = 3 * 86400 - 120;
  const UnixTime start = now - 3 * 86400;
  add_owner_post(std::string(k_owner_posts[0]), start - 3600);
  UnixTime prev = start;
  for (int i = 0; i < size; ++i) {
    UnixTime base = start + span * i / std::max(size, 1);
    UnixTime t = std::max(prev, base + static_cast<UnixTime>(rng.below(static_cast<std::uint64_t>(
                                         std::max<UnixTime>(1, span / std::max(size, 1))))));
    prev = t;
    if (rng.chance(1.0 / 40)) {
      add_owner_post(std::string(rng.pick(k_owner_posts)), t);
    }
    add_random_inbound(rng, t);
  }
}

} // namespace svc::sandbox
