// Internal: what the WeChat route files share (routes_wechat.cpp, routes_wechat_tags.cpp): the
// preamble of every endpoint (access token check, JSON body) and WeChat's replies. The caller holds the
// state mutex; a helper that returns nothing or false has already answered with WeChat's error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <svc/sandbox/http_util.hpp>
#include <svc/sandbox/state.hpp>

namespace svc::sandbox::wechat {

// {"errcode":N,"errmsg":"… rid: …"} with HTTP 200.
void error(State& state, Call& call, int errcode, const std::string& errmsg);
// {"errcode":0,"errmsg":"ok"}
void ok(Call& call);
// A valid ?access_token= (else 41001, 40001 or 42001); counts the call for expire_token_after.
bool authorized(State& state, Call& call);
// authorized(), then a JSON object body (else 47001).
std::optional<nlohmann::json> authorized_body(State& state, Call& call);
// An integer field, also when sent as a decimal string.
std::optional<std::int64_t> json_int(const nlohmann::json& body, const char* key);

} // namespace svc::sandbox::wechat

namespace svc::sandbox {

// tags/*, tags/members/*, user/tag/get and GET /_sandbox/wechat/tags (routes_wechat_tags.cpp).
void add_wechat_tag_routes(State& state);

} // namespace svc::sandbox
