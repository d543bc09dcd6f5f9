// store::contact_profile_text must write exactly what contact_profile(...).dump() writes: pull stores
// one and compares it with what it stored before (the upsert skip), other paths store the other.
#include <svc/store/contacts.hpp>
#include <svc/store/profile_text.hpp>

#include <catch2/catch.hpp>

namespace store_test_profile_text {

using namespace svc;

namespace {

std::string
reference(const domain::PlatformUser& u, UnixTime seen_at)
{
  return store::contact_profile(u, seen_at).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

TEST_CASE("store::contact_profile_text matches contact_profile's dump", "[store]")
{
  domain::PlatformUser u;
  u.id = "42";

  SECTION("no fields at all")
  {
    CHECK(store::contact_profile_text(u, 100) == "{}");
    CHECK(reference(u, 100) == "{}");
  }
  SECTION("typed fields, sorted, escaped, with a count")
  {
    u.name = "Ann \"the\" \\ \n Zhang 张";
    u.username = "ann";
    u.location = "北京";
    u.followers = 1234567890123;
    u.language = "zh_CN";
    std::string text = store::contact_profile_text(u, 1795000000);
    CHECK(text == reference(u, 1795000000));
    CHECK(text.find("\"followers\":{\"seen_at\":1795000000,\"value\":1234567890123}") != std::string::npos);
  }
  SECTION("extra fields, overridden by typed ones only when those are set")
  {
    u.name = "Bo";
    u.extra = {{"name", "ignored"},
               {"gender", "f"},
               {"remark", "VIP \t"},
               {"tagid_list", {2, 5}},
               {"subscribe", 1},
               {"score", 2.5},
               {"nested", {{"b", nullptr}, {"a", true}}},
               {"gone", nullptr},
               {"empty", ""},
               {"ключ \"q\"", "v"}};
    std::string text = store::contact_profile_text(u, 7);
    CHECK(text == reference(u, 7));
    CHECK(text.find("ignored") == std::string::npos);
    CHECK(text.find("\"gone\"") == std::string::npos);
    CHECK(text.find("\"empty\":{\"seen_at\":7,\"value\":\"\"}") != std::string::npos);
  }
  SECTION("invalid UTF-8 is replaced the same way")
  {
    u.name = std::string("bad \xff\xfe end");
    u.extra = {{"remark", std::string("x\xc3")}};
    CHECK(store::contact_profile_text(u, 1) == reference(u, 1));
  }
  SECTION("zero and negative counts are kept")
  {
    u.followers = 0;
    CHECK(store::contact_profile_text(u, 0) == reference(u, 0));
    u.followers = -3;
    CHECK(store::contact_profile_text(u, 0) == reference(u, 0));
  }
}

}  // namespace store_test_profile_text
