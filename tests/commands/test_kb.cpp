// `svc kb add|import|list|remove|ask|config`, run in-process (cli::run) against a temporary state file.
#include <catch2/catch.hpp>

#include "support/expect_svc.hpp"

namespace commands_test_kb {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

using Env = SvcEnv;

json
ask(InProcess& svc, const std::string& text)
{
  return json::parse(ok(svc, {"--format", "json", "kb", "ask", text}).out);
}

} // namespace

TEST_CASE("svc kb", "[commands][kb]")
{
  Env env;
  auto& svc = env.svc;

  SECTION("add, list, ask, remove")
  {
    auto added = json::parse(ok(svc, {"--format", "json", "kb", "add", "--question", "如何申请退款？", "--alt", "怎么退款",
                                      "--alt", "退款流程", "--answer", "在订单页申请退款。", "--menu", "1"})
                               .out);
    CHECK(added.at("id") == 1);
    CHECK(added.at("menu") == 1);
    CHECK(added.at("phrasings") == json({"怎么退款", "退款流程"}));
    CHECK(added.at("created_at") == "2026-11-18T11:06:40Z");
    ok(svc, {"kb", "add", "--question", "How do I reset my password?", "--answer", "Use the link."});
    ok(svc, {"kb", "add", "--question", "What are your opening hours?", "--answer", "9-18."});

    auto list = json::parse(ok(svc, {"--format", "json", "kb", "list"}).out);
    REQUIRE(list.size() == 3);
    CHECK(list[0].at("question") == "如何申请退款？");
    CHECK(list[1].at("menu").is_null());

    auto a = ask(svc, "怎么退款？");
    CHECK(a.at("decision") == "answer");
    CHECK(a.at("entry_id") == 1);
    CHECK(a.at("confidence") == 1.0);
    CHECK(a.at("threshold") == 0.5);
    CHECK(a.at("answer") == "在订单页申请退款。");
    CHECK(a.at("candidates")[0].at("matched") == "怎么退款");
    auto h = ask(svc, "我的快递丢了");
    CHECK(h.at("decision") == "hand_over");
    CHECK(h.at("answer").is_null());
    CHECK(ask(svc, "1").at("entry_id") == 1);

    auto table = ok(svc, {"kb", "ask", "reset my password"}).out;
    CHECK(table.find("DECISION:") != std::string::npos);
    CHECK(table.find("#2 ") != std::string::npos); // the candidates, for people

    ok(svc, {"kb", "remove", "1"});
    CHECK(ask(svc, "怎么退款？").at("decision") == "hand_over");
    CHECK(json::parse(ok(svc, {"--format", "json", "kb", "list"}).out).size() == 2);
  }

  SECTION("config: threshold and human phrases change the decision")
  {
    ok(svc, {"kb", "add", "--question", "How do I reset my password?", "--answer", "Use the link."});
    double c = ask(svc, "password").at("confidence");
    REQUIRE(c > 0.1);
    REQUIRE(c < 0.9);
    ok(svc, {"kb", "config", "--threshold", std::to_string(c + 0.05)});
    CHECK(ask(svc, "password").at("decision") == "hand_over");
    ok(svc, {"kb", "config", "--threshold", std::to_string(c - 0.05)});
    CHECK(ask(svc, "password").at("decision") == "answer");

    CHECK(ask(svc, "password, human please").at("decision") == "hand_over");
    auto cfg = json::parse(ok(svc, {"--format", "json", "kb", "config", "--human-phrase", "客服"}).out);
    CHECK(cfg.at("human_phrases") == json({"客服"}));
    CHECK(ask(svc, "password, human please").at("decision") == "answer");
    CHECK(ask(svc, "password 客服").at("reason") == "the customer asked for a human");
  }

  SECTION("import: CSV or JSON lines, all or nothing, with line numbers")
  {
    write_file(env.dir / "faq.csv", "question,answer,phrasings,menu\n"
                                    "如何申请退款？,在订单页申请退款。,怎么退款|退款流程,1\n"
                                    "发货要多久？,48小时内发货。,,2\n");
    auto o = ok(svc, {"kb", "import", (env.dir / "faq.csv").string()});
    CHECK(o.err.find("Imported 2 entries") != std::string::npos);
    write_file(env.dir / "more.jsonl", "{\"question\": \"Opening hours?\", \"answer\": \"9-18\"}\n"
                                       "{\"question\": \"Refund?\", \"answer\": \"\"}\n"
                                       "{\"question\": \"Shipping?\", \"answer\": \"x\", \"menu\": 3}\n");
    fails(svc, {"kb", "import", (env.dir / "more.jsonl").string()}, 2, "1 bad line: line 2: the answer is empty");
    write_file(env.dir / "taken.jsonl", "{\"question\": \"Opening hours?\", \"answer\": \"9-18\", \"menu\": 2}\n");
    fails(svc, {"kb", "import", (env.dir / "taken.jsonl").string()}, 6, "menu number 2 is taken by entry #2");
    CHECK(json::parse(ok(svc, {"--format", "json", "kb", "list"}).out).size() == 2);
  }

  SECTION("bad input is refused and changes nothing")
  {
    fails(svc, {"kb", "add", "--question", "?", "--answer", "x"}, 2, "has no words to match");
    fails(svc, {"kb", "add", "--question", "q", "--answer", " "}, 2, "the answer is empty");
    fails(svc, {"kb", "add", "--question", "q", "--answer", "a", "--menu", "0"}, 2, "not 1 or more");
    ok(svc, {"kb", "add", "--question", "q", "--answer", "a", "--menu", "1"});
    fails(svc, {"kb", "add", "--question", "r", "--answer", "b", "--menu", "1"}, 6, "menu number 1 is taken");
    fails(svc, {"kb", "remove", "7"}, 3, "no knowledge-base entry #7");
    fails(svc, {"kb", "config", "--threshold", "1.5"}, 2, "not between 0 and 1");
    fails(svc, {"kb", "import", (env.dir / "missing.csv").string()}, 2, "cannot read");
    CHECK(json::parse(ok(svc, {"--format", "json", "kb", "list"}).out).size() == 1);
  }
}

}  // namespace commands_test_kb
