#include <svc/callbacks/replay.hpp>

#include <nlohmann/json.hpp>

#include <svc/callbacks/signature.hpp>
#include <svc/core/sha1.hpp>

namespace svc::callbacks {

namespace {

std::vector<std::pair<std::string, std::string>>
split_query(const std::string& query)
{
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start < query.size()) {
    auto amp = query.find('&', start);
    std::string part = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    auto eq = part.find('=');
    if (!part.empty())
      out.emplace_back(part.substr(0, eq), eq == std::string::npos ? "" : part.substr(eq + 1));
    if (amp == std::string::npos)
      break;
    start = amp + 1;
  }
  return out;
}

std::string
join_query(const std::vector<std::pair<std::string, std::string>>& parts)
{
  std::string out;
  for (const auto& [k, v] : parts)
    out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

// The recorded query with timestamp, nonce and signature replaced (values are digits and hex: no
// encoding needed).
std::string
resigned_query(const std::string& query, const std::string& secret, const std::string& timestamp,
               const std::string& nonce)
{
  auto parts = split_query(query);
  std::erase_if(parts, [](const auto& p) { return p.first == "timestamp" || p.first == "nonce" || p.first == "signature"; });
  parts.insert(parts.begin(), {{"signature", sorted_sha1_signature({secret, timestamp, nonce})},
                               {"timestamp", timestamp},
                               {"nonce", nonce}});
  return join_query(parts);
}

} // namespace

Result<RecordedCallback>
parse_record_line(std::string_view line)
{
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object())
    return make_error(ErrorKind::usage, "not a JSON object");
  RecordedCallback r;
  for (auto [key, field] : {std::pair{"account", &r.account}, {"platform", &r.platform}, {"method", &r.method},
                            {"path", &r.path}, {"query", &r.query}, {"body", &r.body}}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
      return make_error(ErrorKind::usage, "no \"{}\" string", key);
    *field = it->get<std::string>();
  }
  if (r.platform != "wechat" && r.platform != "weibo" && r.platform != "telegram")
    return make_error(ErrorKind::usage, "unknown platform '{}'", r.platform);
  if (r.method != "GET" && r.method != "POST")
    return make_error(ErrorKind::usage, "unknown method '{}'", r.method);
  if (auto h = j.find("headers"); h != j.end() && h->is_object())
    for (const auto& [k, v] : h->items())
      if (v.is_string() && k != k_telegram_secret_header)
        r.headers.emplace_back(k, v.get<std::string>());
  return r;
}

Result<http::Request>
resign(const RecordedCallback& recorded, const std::string& target, const std::string& secret, std::int64_t now_ms,
       std::mt19937_64& rng)
{
  if (secret.empty())
    return make_error(ErrorKind::usage, "no secret to sign {}'s callbacks with", recorded.account)
      .with_hint("bind the account with --callback-token-env (wechat), --secret-env (weibo) or "
                 "--webhook-secret-env (telegram), or pass --account");
  auto scheme = target.find("://");
  if (scheme == std::string::npos || (target.rfind("http://", 0) != 0 && target.rfind("https://", 0) != 0))
    return make_error(ErrorKind::usage, "--to must be an http(s) URL, not '{}'", target);
  bool has_path = target.find('/', scheme + 3) != std::string::npos && target.substr(target.find('/', scheme + 3)) != "/";
  std::string base = target;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  std::string url = has_path ? target : base + recorded.path;

  http::Request req;
  req.method = recorded.method == "GET" ? http::Method::get : http::Method::post;
  req.body = recorded.body;
  req.headers = recorded.headers;
  std::string query = recorded.query;
  if (recorded.platform == "telegram") {
    req.headers.emplace_back(std::string(k_telegram_secret_header), secret);
  } else {
    std::int64_t t = recorded.platform == "weibo" ? now_ms : now_ms / 1000; // Weibo signs milliseconds
    query = resigned_query(query, secret, std::to_string(t), std::to_string(rng() % 1000000000));
  }
  req.url = url + (query.empty() ? "" : (url.find('?') == std::string::npos ? "?" : "&") + query);
  req.idempotent = true; // the listener stores a platform message once however often it arrives
  return req;
}

} // namespace svc::callbacks
