#include <svc/channels/wechat/callback.hpp>

#include <pugixml.hpp>

#include <svc/channels/json_util.hpp>

namespace svc::channels::wechat {

namespace {

// CDATA cannot contain "]]>": split it across two sections.
std::string
cdata(std::string_view text)
{
  std::string out = "<![CDATA[";
  std::size_t pos = 0;
  while (true) {
    std::size_t hit = text.find("]]>", pos);
    if (hit == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, hit - pos));
    out += "]]]]><![CDATA[>";
    pos = hit + 3;
  }
  out += "]]>";
  return out;
}

// An element's text: all its text and CDATA children joined (a "]]>" splits CDATA in two).
std::string
node_text(pugi::xml_node node)
{
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    }
  }
  return out;
}

} // namespace

Result<domain::InboundMessage>
parse_callback(std::string_view xml)
{
  try {
    pugi::xml_document doc;
    auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      return make_error(ErrorKind::usage, "not a WeChat callback: {} at offset {}",
                        parsed.description(), parsed.offset);
    }
    pugi::xml_node root = doc.child("xml");
    if (!root) {
      return make_error(ErrorKind::usage, "not a WeChat callback: no <xml> root element");
    }
    nlohmann::json raw = nlohmann::json::object();
    for (pugi::xml_node child : root.children()) {
      if (child.type() == pugi::node_element) {
        raw[child.name()] = node_text(child);
      }
    }
    auto field = [&](const char* name) { return node_text(root.child(name)); };
    std::string from = field("FromUserName");
    std::string type = field("MsgType");
    auto created = detail::parse_int(field("CreateTime"));
    if (from.empty() || type.empty() || !created) {
      return make_error(ErrorKind::usage,
                        "not a WeChat callback: FromUserName, CreateTime and MsgType are required");
    }
    domain::InboundMessage m;
    m.channel = domain::ChannelKind::dm;
    m.direction = domain::Direction::in;
    m.thread_key = from;
    m.author.id = from;
    m.created_at = *created;
    m.kind = type;
    if (type == "event") {
      std::string event = field("Event");
      std::string key = field("EventKey");
      m.text = key.empty() ? event : event + " " + key;
      m.platform_message_id = from + ":" + std::to_string(*created) + ":" + event;
    } else {
      m.platform_message_id = field("MsgId");
      if (m.platform_message_id.empty()) {
        return make_error(ErrorKind::usage, "WeChat {} callback without MsgId", type);
      }
      if (type == "text") {
        m.text = field("Content");
      } else if (type == "voice" && !field("Recognition").empty()) {
        m.text = field("Recognition");
      } else if (type == "location") {
        m.text = field("Label");
      } else if (type == "link") {
        m.text = field("Title") + " " + field("Url");
      } else {
        m.text = "[" + type + "]";
      }
    }
    m.raw = std::move(raw);
    return m;
  } catch (const std::exception& e) {
    return make_error(ErrorKind::usage, "not a WeChat callback: {}", e.what());
  }
}

std::string
build_text_reply(const std::string& to_user, const std::string& from_user, UnixTime created_at,
                 const std::string& content)
{
  std::string out = "<xml>\n";
  out += "  <ToUserName>" + cdata(to_user) + "</ToUserName>\n";
  out += "  <FromUserName>" + cdata(from_user) + "</FromUserName>\n";
  out += "  <CreateTime>" + std::to_string(created_at) + "</CreateTime>\n";
  out += "  <MsgType>" + cdata("text") + "</MsgType>\n";
  out += "  <Content>" + cdata(content) + "</Content>\n";
  out += "</xml>\n";
  return out;
}

} // namespace svc::channels::wechat
