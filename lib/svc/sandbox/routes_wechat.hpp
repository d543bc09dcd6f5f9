// Internal: what the WeChat route files share (routes_wechat.cpp, routes_wechat_tags.cpp): the
// preamble of every endpoint (access token check, JSON body), fan lookup and paging, and WeChat's
// replies. A helper that returns nothing has already answered with WeChat's error.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <svc/sandbox/http_util.hpp>
#include <svc/sandbox/state.hpp>

namespace svc::sandbox::wechat {

// A WeChat endpoint (faults applied, handler run under the state mutex) that first checks
// ?access_token= (else 41001, 40001 or 42001) and counts the call for expire_token_after.
httplib::Server::Handler authorized_endpoint(State& state, std::function<void(State&, Call&)> handler);
// As authorized_endpoint, then the body must be a JSON object (else 47001), which the handler gets.
httplib::Server::Handler body_endpoint(State& state,
                                       std::function<void(State&, Call&, const nlohmann::json& body)> handler);

// The rest run under the state mutex.
// {"errcode":N,"errmsg":"… rid: …"} with HTTP 200.
void error(State& state, Call& call, int errcode, const std::string& errmsg);
// {"errcode":0,"errmsg":"ok"}
void ok(Call& call);
// The index of the fan with this openid (else 40003).
std::optional<int> fan(State& state, Call& call, const std::string& openid);
// The page of openids (fan order, 10000 at most) of the fans `member` accepts, after `next_openid`
// (empty: from the first; unknown: 40003): {"count","next_openid"[,"data":{"openid":[…]}]}; past
// the end "next_openid":"" and no "data", as the real API (§2.5).
std::optional<nlohmann::json> openid_page(State& state, Call& call, const std::string& next_openid,
                                          const std::function<bool(const Person&)>& member);

} // namespace svc::sandbox::wechat

namespace svc::sandbox {

// tags/*, tags/members/*, user/tag/get and GET /_sandbox/wechat/tags (routes_wechat_tags.cpp).
void add_wechat_tag_routes(State& state);

} // namespace svc::sandbox
