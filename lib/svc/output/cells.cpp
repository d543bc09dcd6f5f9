#include <svc/output/sink.hpp>

namespace svc::output {

const nlohmann::json&
lookup(const nlohmann::json& object, const std::string& dotted)
{
  static const nlohmann::json k_null;
  const nlohmann::json* cur = &object;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    std::size_t dot = dotted.find('.', start);
    std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object())
      return k_null;
    auto it = cur->find(part);
    if (it == cur->end())
      return k_null;
    cur = &*it;
    if (dot == std::string::npos)
      break;
    start = dot + 1;
  }
  return *cur;
}

std::string
dump_json(const nlohmann::json& value, bool pretty)
{
  return value.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string
cell_text(const nlohmann::json& value)
{
  if (value.is_null())
    return "";
  if (value.is_string())
    return value.get<std::string>();
  if (value.is_boolean())
    return value.get<bool>() ? "true" : "false";
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) {
      if (!out.empty())
        out += ", ";
      out += cell_text(item);
    }
    return out;
  }
  return dump_json(value, false);
}

} // namespace svc::output
