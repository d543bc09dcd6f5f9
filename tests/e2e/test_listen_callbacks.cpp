// The real `svc listen` process on loopback, bound to a real state file, receiving signed WeChat,
// Weibo and Telegram callbacks sent with httplib: what is stored (once), what is refused (and not
// stored), the --record lines, and --forward-to.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <svc/core/sha1.hpp>

#include "support/run_svc.hpp"
#include "support/sandbox_process.hpp"
#include "support/temp_dir.hpp"
#include "support/spawn.hpp"
#include <svc/core/serve.hpp>

namespace e2e_test_listen_callbacks {

using namespace svc::test;
using nlohmann::json;


namespace {

// A state file with three accounts bound, their secrets in the environment only.
struct ListenHome {
  TempDir dir;
  std::map<std::string, std::string> env;

  ListenHome()
  {
    env = {{"SVC_STATE", (dir / "state.db").string()}, {"WX_SECRET", "wx-app-secret"},
           {"WX_CB", "wx-callback-token"},              {"WB_TOKEN", "wb-access-token"},
           {"WB_SECRET", "wb-app-secret"},              {"TG_TOKEN", "123:tg-token"},
           {"TG_HOOK", "tg-hook-secret"}};
    run_ok({"account", "bind", "wechat", "wx", "--app-id", "wxapp", "--secret-env", "WX_SECRET",
            "--callback-token-env", "WX_CB"});
    run_ok({"account", "bind", "weibo", "wb", "--token-env", "WB_TOKEN", "--secret-env", "WB_SECRET"});
    run_ok({"account", "bind", "telegram", "tg", "--token-env", "TG_TOKEN", "--webhook-secret-env", "TG_HOOK"});
  }

  Outcome run_ok(const std::vector<std::string>& args) const
  {
    auto o = run_binary(args, env);
    INFO("svc " << Catch::Detail::stringify(args) << "\nexit " << o.code << "\n" << o.out << "\n" << o.err);
    REQUIRE(o.code == 0);
    return o;
  }

  std::int64_t messages() const
  {
    auto o = run_ok({"--format", "json", "db", "check"});
    return json::parse(o.out).at("counts").at("messages").get<std::int64_t>();
  }
};

// `svc listen --port 0 --port-file F EXTRA...` as a child process; SIGTERM in the destructor.
class ListenProcess
{
public:
  ListenProcess(const ListenHome& home, const std::vector<std::string>& extra)
  {
    auto port_file = m_dir / "port";
    std::vector<std::string> args = {"listen", "--port", "0", "--port-file", port_file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    m_pid = spawn_svc(args, home.env, {"/dev/null", m_dir / "stdout", m_dir / "stderr"});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!std::filesystem::exists(port_file)) {
      int status = 0;
      if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        FAIL("svc listen exited on start: " << stderr_text());
      }
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    m_port = std::stoi(read_file(port_file));
  }

  ~ListenProcess() { stop(); }

  // SIGTERM and wait: listen exits 0 on a signal.
  int stop()
  {
    if (m_pid <= 0) {
      return m_exit;
    }
    kill(m_pid, SIGTERM);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
    m_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return m_exit;
  }

  int port() const { return m_port; }
  std::string stderr_text() const { return read_file(m_dir / "stderr"); }
  httplib::Client client() const
  {
    httplib::Client c("127.0.0.1", m_port);
    c.set_read_timeout(10, 0);
    return c;
  }

private:
  TempDir m_dir;
  pid_t m_pid = -1;
  int m_port = 0;
  int m_exit = -1;
};

std::string
signed_path(const std::string& account, const std::string& secret, const std::string& timestamp,
            const std::string& extra = "")
{
  return "/hook/" + account + "?signature=" + svc::sorted_sha1_signature({secret, timestamp, "n0nce"}) +
         "&timestamp=" + timestamp + "&nonce=n0nce" + extra;
}

const std::string k_wechat_text =
  "<xml><ToUserName><![CDATA[gh_abc]]></ToUserName><FromUserName><![CDATA[oCustomer42]]></FromUserName>"
  "<CreateTime>1795000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
  "<Content><![CDATA[where is my parcel]]></Content><MsgId>23456789012</MsgId></xml>";

const std::string k_telegram_update =
  R"({"update_id":900001,"message":{"message_id":55,"from":{"id":4242,"is_bot":false,"first_name":"Ann"},)"
  R"("chat":{"id":4242,"first_name":"Ann","type":"private"},"date":1795000100,"text":"hi bot"}})";

const std::string k_weibo_text =
  R"({"type":"text","receiver_id":1902538057,"sender_id":2489518277,)"
  R"("created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"weibo dm via push","data":{}})";

std::vector<json>
read_jsonl(const std::filesystem::path& path)
{
  std::vector<json> lines;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(json::parse(line));
  }
  return lines;
}

} // namespace

TEST_CASE("e2e::listen stores signed WeChat callbacks once and refuses the rest", "[e2e][listen]")
{
  ListenHome home;
  auto record = home.dir / "calls.jsonl";
  ListenProcess listen(home, {"--record", record.string()});
  auto c = listen.client();

  auto handshake = c.Get((signed_path("wx", "wx-callback-token", "1795000000") + "&echostr=ECHO123").c_str());
  REQUIRE(handshake);
  CHECK(handshake->status == 200);
  CHECK(handshake->body == "ECHO123");

  auto bad_handshake = c.Get((signed_path("wx", "not-the-token", "1795000000") + "&echostr=ECHO123").c_str());
  REQUIRE(bad_handshake);
  CHECK(bad_handshake->status == 403);

  for (int i = 0; i < 2; ++i) {
    auto res = c.Post(signed_path("wx", "wx-callback-token", "1795000001").c_str(), k_wechat_text, "text/xml");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "success");
  }
  CHECK(home.messages() == 1);

  auto forged = c.Post(signed_path("wx", "wrong", "1795000001").c_str(),
                       "<xml><FromUserName>x</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
                       "<Content>forged</Content><MsgId>1</MsgId></xml>",
                       "text/xml");
  REQUIRE(forged);
  CHECK(forged->status == 403);
  auto malformed = c.Post(signed_path("wx", "wx-callback-token", "1795000002").c_str(), "<xml><Content>", "text/xml");
  REQUIRE(malformed);
  CHECK(malformed->status == 400);
  auto oversized = c.Post(signed_path("wx", "wx-callback-token", "1795000003").c_str(),
                          std::string(2 * 1024 * 1024, 'x'), "text/xml");
  if (oversized) { // the server may also close the connection before reading the whole body
    CHECK(oversized->status == 413);
  }
  auto unknown = c.Post("/hook/nobody", "{}", "application/json");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(home.messages() == 1);

  // The stored message is in the inbox like a pulled one.
  auto inbox = json::parse(home.run_ok({"--format", "json", "inbox"}).out);
  INFO(inbox.dump());
  REQUIRE(inbox.size() == 1);
  CHECK(inbox[0].at("last_message").at("text") == "where is my parcel");
  CHECK(inbox[0].at("account") == "wx");

  CHECK(listen.stop() == 0);
  auto err = listen.stderr_text();
  CHECK(err.find("where is my parcel") != std::string::npos);
  CHECK(err.find("wx-callback-token") == std::string::npos);
  CHECK(err.find("/hook/nobody 404 no such hook") != std::string::npos);

  auto lines = read_jsonl(record);
  // handshake, bad handshake, two deliveries, forged, malformed, unknown path (not an account: not
  // recorded), and the oversized body is refused before svc sees it.
  REQUIRE(lines.size() == 6);
  CHECK(lines[0].at("method") == "GET");
  CHECK(lines[0].at("status") == 200);
  CHECK(lines[2].at("account") == "wx");
  CHECK(lines[2].at("platform") == "wechat");
  CHECK(lines[2].at("path") == "/hook/wx");
  CHECK(lines[2].at("query").get<std::string>().find("timestamp=1795000001") != std::string::npos);
  CHECK(lines[2].at("body") == k_wechat_text);
  CHECK(lines[2].at("stored") == 1);
  CHECK(lines[3].at("stored") == 0);
  CHECK(lines[4].at("status") == 403);
  CHECK(lines[5].at("status") == 400);
  CHECK(lines[2].at("headers").at("Content-Type") == "text/xml");
  CHECK(lines[2].at("received_at").get<std::string>().size() == 20);
}

TEST_CASE("e2e::listen Telegram webhook and Weibo push", "[e2e][listen]")
{
  ListenHome home;
  auto record = home.dir / "calls.jsonl";
  ListenProcess listen(home, {"--record", record.string(), "--print"});
  auto c = listen.client();

  auto wrong = c.Post("/hook/tg", {{"X-Telegram-Bot-Api-Secret-Token", "guess"}}, k_telegram_update,
                      "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  auto none = c.Post("/hook/tg", k_telegram_update, "application/json");
  REQUIRE(none);
  CHECK(none->status == 403);
  CHECK(home.messages() == 0);
  auto right = c.Post("/hook/tg", {{"X-Telegram-Bot-Api-Secret-Token", "tg-hook-secret"}}, k_telegram_update,
                      "application/json");
  REQUIRE(right);
  CHECK(right->status == 200);
  CHECK(home.messages() == 1);

  auto wb_handshake = c.Get((signed_path("wb", "wb-app-secret", "1397022061823") + "&echostr=wbEcho").c_str());
  REQUIRE(wb_handshake);
  CHECK(wb_handshake->status == 200);
  CHECK(wb_handshake->body == "wbEcho");
  for (int i = 0; i < 2; ++i) {
    auto push = c.Post(signed_path("wb", "wb-app-secret", "1397022061824").c_str(), k_weibo_text, "application/json");
    REQUIRE(push);
    CHECK(push->status == 200);
  }
  auto wb_forged = c.Post(signed_path("wb", "wx-callback-token", "1397022061824").c_str(), k_weibo_text,
                          "application/json");
  REQUIRE(wb_forged);
  CHECK(wb_forged->status == 403);
  CHECK(home.messages() == 2);

  auto inbox = json::parse(home.run_ok({"--format", "json", "inbox"}).out);
  std::map<std::string, std::string> texts;
  for (const auto& row : inbox) {
    texts[row.at("account").get<std::string>()] = row.at("last_message").at("text").get<std::string>();
  }
  CHECK(texts["tg"] == "hi bot");
  CHECK(texts["wb"] == "weibo dm via push");

  CHECK(listen.stop() == 0);
  auto err = listen.stderr_text();
  CHECK(err.find("tg-hook-secret") == std::string::npos);
  CHECK(err.find("\"update_id\":900001") != std::string::npos); // --print shows the body

  auto text = read_file(record);
  CHECK(text.find("tg-hook-secret") == std::string::npos);
  auto lines = read_jsonl(record);
  REQUIRE(lines.size() == 7);
  CHECK(lines[0].at("headers").at("X-Telegram-Bot-Api-Secret-Token") == "***");
  CHECK(lines[2].at("headers").at("X-Telegram-Bot-Api-Secret-Token") == "***");
  CHECK(lines[2].at("platform") == "telegram");
  CHECK(lines[2].at("stored") == 1);
  CHECK(lines[4].at("platform") == "weibo");
  CHECK(lines[4].at("stored") == 1);
  CHECK(lines[5].at("stored") == 0);
}

TEST_CASE("e2e::listen --forward-to passes accepted callbacks on", "[e2e][listen]")
{
  httplib::Server target;
  std::mutex mu;
  std::vector<httplib::Request> received;
  target.Post("/dev/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    received.push_back(req);
    res.status = 204;
  });
  int target_port = target.bind_to_any_port("127.0.0.1");
  std::thread serving = svc::start_accept_loop(target);

  ListenHome home;
  ListenProcess listen(home, {"--forward-to", "http://127.0.0.1:" + std::to_string(target_port) + "/dev/hook"});
  auto c = listen.client();
  auto ok = c.Post(signed_path("wx", "wx-callback-token", "1795000001", "&openid=oCustomer42").c_str(),
                   k_wechat_text, "text/xml");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  auto tg = c.Post("/hook/tg", {{"X-Telegram-Bot-Api-Secret-Token", "tg-hook-secret"}}, k_telegram_update,
                   "application/json");
  REQUIRE(tg);
  CHECK(tg->status == 200);
  auto refused = c.Post(signed_path("wx", "bad", "1795000001").c_str(), k_wechat_text, "text/xml");
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(listen.stop() == 0);
  target.stop();
  serving.join();

  REQUIRE(received.size() == 2); // the refused one is not forwarded
  CHECK(received[0].body == k_wechat_text);
  CHECK(received[0].get_header_value("Content-Type") == "text/xml");
  CHECK(received[0].get_param_value("openid") == "oCustomer42");
  CHECK(received[0].get_param_value("signature") == svc::sorted_sha1_signature({"wx-callback-token", "1795000001", "n0nce"}));
  CHECK(received[1].body == k_telegram_update);
  CHECK(received[1].get_header_value("X-Telegram-Bot-Api-Secret-Token") == "tg-hook-secret");
  CHECK(listen.stderr_text().find("forwarded 204") != std::string::npos);
}

TEST_CASE("e2e::listen serves an account without its secret but refuses everything", "[e2e][listen]")
{
  ListenHome home;
  home.run_ok({"account", "bind", "wechat", "bare", "--app-id", "a2", "--secret-env", "WX_SECRET"});
  ListenProcess listen(home, {});
  auto c = listen.client();
  auto res = c.Post(signed_path("bare", "", "1795000001").c_str(), k_wechat_text, "text/xml");
  REQUIRE(res);
  CHECK(res->status == 403);
  CHECK(listen.stop() == 0);
  CHECK(home.messages() == 0);
  CHECK(listen.stderr_text().find("hook for bare refuses everything: no callback token bound") != std::string::npos);
}

// The whole push path with the real platforms' stand-in: the sandbox signs and pushes, listen stores,
// the inbox shows it, a reply goes back through the platform API, a pull of the same messages adds
// nothing, and replaying the recording leaves the stored state as it was.
TEST_CASE("e2e::sandbox trigger -> listen -> inbox -> reply, and replay", "[e2e][listen][trigger]")
{
  SandboxProcess sandbox(SandboxOptions{11, 30, ""});
  ListenHome home;
  // The sandbox's credentials under the same variable names, for accounts bound to the sandbox.
  auto wx = sandbox.account("wechat"), wb = sandbox.account("weibo"), tg = sandbox.account("telegram");
  home.env["WX_SECRET"] = wx["secret"].get<std::string>();
  home.env["WX_CB"] = wx["callback_token"].get<std::string>();
  home.env["WB_TOKEN"] = wb["token"].get<std::string>();
  home.env["WB_SECRET"] = wb["app_secret"].get<std::string>();
  home.env["TG_TOKEN"] = tg["token"].get<std::string>();
  home.env["TG_HOOK"] = tg["webhook_secret"].get<std::string>();
  home.run_ok({"account", "bind", "wechat", "swx", "--app-id", wx["app_id"].get<std::string>(), "--secret-env", "WX_SECRET",
               "--callback-token-env", "WX_CB", "--base-url", sandbox.url()});
  home.run_ok({"account", "bind", "weibo", "swb", "--token-env", "WB_TOKEN", "--secret-env", "WB_SECRET",
               "--base-url", sandbox.url()});
  home.run_ok({"account", "bind", "telegram", "stg", "--token-env", "TG_TOKEN", "--webhook-secret-env", "TG_HOOK",
               "--base-url", sandbox.url()});
  TempDir out;
  auto record = (out / "callbacks.jsonl").string();
  ListenProcess listen(home, {"--record", record});
  std::string hooks = "http://127.0.0.1:" + std::to_string(listen.port()) + "/hook/";

  const std::vector<std::vector<std::string>> pushes = {{"wechat", "text", "swx", "推送：我的订单呢"},
                                                        {"weibo", "text", "swb", "推送：私信问题"},
                                                        {"telegram", "message", "stg", "pushed: where is it?"}};
  auto before = home.messages();
  for (const auto& p : pushes)
    home.run_ok({"sandbox", "trigger", "--url", sandbox.url(), "--platform", p[0], p[1], "--to", hooks + p[2],
                 "--set", "text=" + p[3]});
  CHECK(home.messages() == before + 3);

  auto inbox = json::parse(home.run_ok({"--format", "json", "inbox", "--status", "all", "--limit", "1000"}).out);
  auto conversation_with = [&](const std::string& text) -> std::int64_t {
    for (const auto& c : inbox)
      if (c["last_message"].is_object() && c["last_message"]["text"] == text)
        return c["id"];
    FAIL("no conversation ends with " << text);
    return 0;
  };
  for (const auto& p : {pushes[0], pushes[2]}) { // WeChat (48 h window opened by the push) and Telegram
    auto id = std::to_string(conversation_with(p[3]));
    home.run_ok({"reply", id, "--text", "reply to " + p[3]});
    int delivered = 0;
    for (const auto& s : sandbox.sent())
      delivered += s["text"] == "reply to " + p[3];
    CHECK(delivered == 1);
  }

  // The same messages pulled through the APIs are not stored again.
  home.run_ok({"pull", "--account", "swx"});
  home.run_ok({"pull", "--account", "stg"});
  auto after_pull = json::parse(home.run_ok({"--format", "json", "inbox", "--status", "all", "--limit", "1000"}).out);
  for (const auto& p : {pushes[0], pushes[2]}) {
    for (const auto& c : after_pull) {
      if (c["account"] != p[2])
        continue;
      auto shown = json::parse(home.run_ok({"--format", "json", "show", std::to_string(c["id"].get<std::int64_t>())}).out);
      int copies = 0;
      for (const auto& m : shown["messages"])
        copies += m["text"] == p[3];
      CHECK(copies <= 1);
    }
  }

  auto stored = home.messages();
  home.run_ok({"replay", record, "--to", "http://127.0.0.1:" + std::to_string(listen.port())});
  CHECK(home.messages() == stored);
}

}  // namespace e2e_test_listen_callbacks
