// The knowledge base on a real state file: normalisation, CJK bigrams and trigrams, matching a small
// Chinese and English FAQ with its confidence, the decisions around the threshold, the human phrase,
// the menu, and import files with their line numbers.
#include <catch2/catch.hpp>

#include <svc/automation/kb.hpp>
#include <svc/store/knowledge_base.hpp>
#include <svc/store/store.hpp>

#include "support/temp_dir.hpp"

namespace automation_test_kb {

using namespace svc;
using svc::automation::KbDecision;

namespace {

struct Kb {
  test::TempDir dir;
  FixedClock clock{1795000000};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::KnowledgeBase> kb;

  Kb()
  {
    store::OpenOptions o;
    o.path = dir / "state.db";
    o.clock = &clock;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
    kb = store::knowledge_base(*store);
  }

  std::int64_t add(const std::string& q, std::vector<std::string> alts, const std::string& a,
                   std::optional<int> menu = std::nullopt)
  {
    store::KbEntry e;
    e.question = q;
    e.phrasings = std::move(alts);
    e.answer = a;
    e.menu = menu;
    e.created_at = clock.now();
    auto ids = kb->add({e});
    REQUIRE(ids.has_value());
    return ids->front();
  }

  KbDecision decide(const std::string& text)
  {
    auto d = automation::decide(*store, text);
    INFO(text);
    REQUIRE(d.has_value());
    return *d;
  }

  void threshold(double t)
  {
    auto s = kb->settings();
    REQUIRE(s.has_value());
    s->threshold = t;
    REQUIRE(kb->set_settings(*s).has_value());
  }
};

// A small FAQ in Chinese and English; returns the ids by topic.
struct Faq {
  std::int64_t refund, shipping, password, hours, invoice, abroad;
};

Faq
load_faq(Kb& kb)
{
  Faq f{};
  f.refund = kb.add("如何申请退款？", {"怎么退款", "退款流程"}, "在订单页点击“申请退款”。", 1);
  f.shipping = kb.add("发货要多久？", {"什么时候发货"}, "下单后48小时内发货。", 2);
  f.password = kb.add("How do I reset my password?", {"I forgot my password"}, "Use 'Forgot password'.", 3);
  f.hours = kb.add("What are your opening hours?", {"when are you open"}, "9:00-18:00, Monday to Friday.");
  f.invoice = kb.add("可以开发票吗？", {"发票怎么开"}, "可以，在订单详情页申请。");
  f.abroad = kb.add("Do you ship abroad?", {"international shipping"}, "Yes, to 30 countries.");
  kb.add("会员有什么优惠？", {"会员折扣"}, "会员享受全场9折。");
  kb.add("How can I change my delivery address?", {"change address"}, "Edit it on the order page.");
  return f;
}

} // namespace

TEST_CASE("store::kb_normalize", "[kb]")
{
  CHECK(store::kb_normalize("  How do I Reset my PASSWORD?? ") == "how do i reset my password");
  CHECK(store::kb_normalize("如何申请退款？") == "如何申请退款");
  CHECK(store::kb_normalize("ＡＢＣ１２３，退款！") == "abc123 退款");     // full-width folded
  CHECK(store::kb_normalize("“退款”、发货…") == "退款 发货");               // CJK punctuation separates
  CHECK(store::kb_normalize("?!") == "");
}

TEST_CASE("store::kb_cjk_grams and kb_trigrams", "[kb]")
{
  CHECK(store::kb_cjk_grams("我想退款") == "我想 想退 退款");
  CHECK(store::kb_cjk_grams("退 款 ok 가나다") == "退 款 가나 나다");
  CHECK(store::kb_cjk_grams("reset password") == "");
  CHECK(store::kb_trigrams("abcab") == std::vector<std::string>{"abc", "bca", "cab"});
  CHECK(store::kb_trigrams("退款吗") == std::vector<std::string>{"退款吗"});
  CHECK(store::kb_trigrams("退款").empty());
}

TEST_CASE("store::KnowledgeBase::match on a Chinese and English FAQ", "[kb]")
{
  Kb kb;
  auto faq = load_faq(kb);

  SECTION("a question asked word for word has confidence 1")
  {
    for (const auto& [text, id] : std::vector<std::pair<std::string, std::int64_t>>{
           {"如何申请退款？", faq.refund}, {"怎么退款", faq.refund}, {"how do i reset my password", faq.password}}) {
      auto m = kb.kb->match(text, 5);
      REQUIRE(m.has_value());
      REQUIRE_FALSE(m->empty());
      INFO(text);
      CHECK(m->front().entry.id == id);
      CHECK(m->front().confidence == Approx(1.0));
    }
  }

  SECTION("the best entry wins, with the phrasing it matched; a looser text scores lower")
  {
    auto close = kb.kb->match("I forgot my password, help", 5);
    auto loose = kb.kb->match("password", 5);
    REQUIRE((close.has_value() && loose.has_value()));
    REQUIRE_FALSE(close->empty());
    REQUIRE_FALSE(loose->empty());
    CHECK(close->front().entry.id == faq.password);
    CHECK(close->front().matched == "I forgot my password");
    CHECK(loose->front().entry.id == faq.password);
    CHECK(loose->front().confidence < close->front().confidence);
    for (std::size_t i = 1; i < close->size(); ++i)
      CHECK((*close)[i].confidence <= (*close)[i - 1].confidence);
  }

  SECTION("two-character Chinese words match through the bigram fallback")
  {
    auto m = kb.kb->match("发票", 5); // no trigram in it
    REQUIRE(m.has_value());
    REQUIRE_FALSE(m->empty());
    CHECK(m->front().entry.id == faq.invoice);
    CHECK(m->front().confidence > 0);
    CHECK(m->front().confidence < 1);
  }

  SECTION("a text that shares nothing with the FAQ has no candidates; nothing is left in the index")
  {
    auto m = kb.kb->match("我的快递丢了", 5);
    REQUIRE(m.has_value());
    CHECK(m->empty());
    auto again = kb.kb->match("怎么退款", 5);
    REQUIRE(again.has_value());
    CHECK(again->front().confidence == Approx(1.0)); // the savepoint left no row behind
  }

  SECTION("a removed entry is no longer matched")
  {
    REQUIRE(kb.kb->remove(faq.refund).has_value());
    auto m = kb.kb->match("怎么退款", 5);
    REQUIRE(m.has_value());
    for (const auto& c : *m)
      CHECK(c.entry.id != faq.refund);
    CHECK(kb.kb->remove(faq.refund).error().kind == ErrorKind::not_found);
  }
}

TEST_CASE("automation::decide: answer or hand over around the threshold", "[kb]")
{
  Kb kb;
  auto faq = load_faq(kb);

  SECTION("defaults: exact questions are answered, unknown topics handed over")
  {
    auto d = kb.decide("怎么退款？");
    CHECK(d.kind == KbDecision::Kind::answer);
    REQUIRE(d.entry);
    CHECK(d.entry->id == faq.refund);
    CHECK(d.text == "在订单页点击“申请退款”。");
    auto e = kb.decide("when are you open?");
    CHECK(e.kind == KbDecision::Kind::answer);
    CHECK(e.entry->id == faq.hours);
    auto none = kb.decide("我要投诉快递员");
    CHECK(none.kind == KbDecision::Kind::hand_over);
    CHECK(none.reason == "no entry matches");
    CHECK(none.text.empty());
  }

  SECTION("the same text flips from answer to hand-over as the threshold passes its confidence")
  {
    for (const std::string text : {"我想退款", "how do I change my password", "发货多久"}) {
      INFO(text);
      double c = kb.decide(text).confidence;
      REQUIRE(c > 0.05);
      REQUIRE(c < 0.95);
      kb.threshold(c - 0.01);
      auto above = kb.decide(text);
      CHECK(above.kind == KbDecision::Kind::answer);
      kb.threshold(c + 0.01);
      auto below = kb.decide(text);
      CHECK(below.kind == KbDecision::Kind::hand_over);
      CHECK(below.reason.find("below the threshold") != std::string::npos);
      CHECK_FALSE(below.candidates.empty()); // the candidates are still shown
    }
  }

  SECTION("a human phrase hands over whatever the knowledge base would say")
  {
    CHECK(kb.decide("退款 转人工").kind == KbDecision::Kind::hand_over);
    CHECK(kb.decide("Reset my password? I want an AGENT").reason == "the customer asked for a human");
    CHECK(kb.decide("agents reset my password").kind == KbDecision::Kind::answer); // "agent" as a whole word only
    auto s = kb.kb->settings();
    s->human_phrases = {"客服"};
    REQUIRE(kb.kb->set_settings(*s).has_value());
    CHECK(kb.decide("找客服").kind == KbDecision::Kind::hand_over);
    CHECK(kb.decide("怎么退款 agent").kind == KbDecision::Kind::answer); // no longer a human phrase
  }

  SECTION("menu numbers answer their item; an unknown number shows the menu again")
  {
    auto one = kb.decide(" 1 ");
    CHECK(one.kind == KbDecision::Kind::answer);
    CHECK(one.entry->id == faq.refund);
    CHECK(kb.decide("３").entry->id == faq.password); // full-width digit
    auto nine = kb.decide("9");
    CHECK(nine.kind == KbDecision::Kind::menu);
    CHECK(nine.text == "请回复数字 / Reply with a number:\n1. 如何申请退款？\n2. 发货要多久？\n"
                       "3. How do I reset my password?");
  }
}

TEST_CASE("store::KnowledgeBase::add: menu numbers are unique", "[kb]")
{
  Kb kb;
  kb.add("如何申请退款？", {}, "a", 1);
  store::KbEntry e;
  e.question = "发货要多久？";
  e.answer = "b";
  e.menu = 1;
  auto taken = kb.kb->add({e});
  REQUIRE_FALSE(taken.has_value());
  CHECK(taken.error().kind == ErrorKind::conflict);
  e.menu = 2;
  store::KbEntry f = e;
  f.question = "other";
  auto twice = kb.kb->add({e, f}); // all or nothing
  REQUIRE_FALSE(twice.has_value());
  CHECK(kb.kb->list()->size() == 1);
}

TEST_CASE("automation::parse_kb_file", "[kb]")
{
  using automation::KbFileFormat;
  SECTION("csv with phrasings and menu")
  {
    auto r = automation::parse_kb_file("question,answer,phrasings,menu\r\n"
                                       "如何退款？,\"点击“退款”, 然后确认\",怎么退款|退款流程,1\r\n"
                                       "Opening hours?,9-18,,\r\n",
                                       KbFileFormat::csv);
    REQUIRE(r.has_value());
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].answer == "点击“退款”, 然后确认");
    CHECK((*r)[0].phrasings == std::vector<std::string>{"怎么退款", "退款流程"});
    CHECK((*r)[0].menu == 1);
    CHECK_FALSE((*r)[1].menu);
  }

  SECTION("every bad line is reported with its number")
  {
    auto r = automation::parse_kb_file("question,answer,menu\n"
                                       "ok,fine,1\n"
                                       ",no question,\n"
                                       "no answer,,\n"
                                       "dup,x,1\n"
                                       "bad menu,x,one\n",
                                       KbFileFormat::csv);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(r.error().message == "4 bad lines: line 3: the question is empty; line 4: the answer is empty; "
                               "line 5: menu 1 is also on line 2; line 6: menu 'one' is not a number");
    auto header = automation::parse_kb_file("question,reply\n", KbFileFormat::csv);
    CHECK(header.error().message == "line 1: unknown column 'reply'");
  }

  SECTION("json lines")
  {
    auto r = automation::parse_kb_file("{\"question\": \"怎么退款\", \"answer\": \"a\", \"phrasings\": [\"退款\"], \"menu\": 2}\n"
                                       "\n"
                                       "{\"question\": \"q\", \"answer\": \"b\"}\n",
                                       KbFileFormat::jsonl);
    REQUIRE(r.has_value());
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].menu == 2);
    CHECK((*r)[0].phrasings == std::vector<std::string>{"退款"});
    auto bad = automation::parse_kb_file("{\"question\": \"q\", \"answer\": \"b\"}\n"
                                         "not json\n"
                                         "{\"question\": \"q\", \"anwser\": \"b\"}\n"
                                         "{\"question\": \"q\", \"answer\": \"b\", \"menu\": \"1\"}\n",
                                         KbFileFormat::jsonl);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.find("3 bad lines: line 2: not a JSON object; line 3: unknown field 'anwser'") == 0);
    CHECK(bad.error().message.find("line 4: 'menu' has the wrong type") != std::string::npos);
  }

  SECTION("the format comes from the extension, else the content")
  {
    CHECK(automation::kb_file_format("faq.CSV", "{") == KbFileFormat::csv);
    CHECK(automation::kb_file_format("faq.jsonl", "question") == KbFileFormat::jsonl);
    CHECK(automation::kb_file_format("faq.txt", "  {\"question\"") == KbFileFormat::jsonl);
    CHECK(automation::kb_file_format("faq.txt", "question,answer") == KbFileFormat::csv);
  }
}

}  // namespace automation_test_kb
