#include <svc/callbacks/record.hpp>

#include <nlohmann/json.hpp>

#include <svc/callbacks/signature.hpp>
#include <svc/core/time.hpp>

namespace svc::callbacks {

namespace {

bool
same_name(std::string_view a, std::string_view b)
{
  return find_header({{std::string(a), ""}}, b).has_value();
}

// cpp-httplib reports the peer and local addresses as pseudo headers.
bool
server_pseudo_header(std::string_view name)
{
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT";
}

} // namespace

HeaderList
recorded_headers(const HeaderList& headers)
{
  HeaderList out;
  for (const auto& [name, value] : headers) {
    if (server_pseudo_header(name)) {
      continue;
    }
    out.emplace_back(name, same_name(name, k_telegram_secret_header) ? std::string("***") : value);
  }
  return out;
}

std::string
record_line(UnixTime received_at, const domain::Account& account, const HookRequest& request, int status,
            int stored)
{
  nlohmann::ordered_json headers = nlohmann::ordered_json::object();
  for (const auto& [name, value] : recorded_headers(request.headers)) {
    headers[name] = value;
  }
  nlohmann::ordered_json line = {
    {"received_at", format_iso(received_at)},
    {"account", account.name},
    {"platform", std::string(domain::to_string(account.platform))},
    {"method", request.method},
    {"path", request.path},
    {"query", request.query},
    {"headers", std::move(headers)},
    {"body", request.body},
    {"status", status},
    {"stored", stored},
  };
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace svc::callbacks
