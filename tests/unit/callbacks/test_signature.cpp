// Push signature checks: the platforms' own published vectors, and everything that must not verify.
#include <catch2/catch.hpp>

#include <svc/callbacks/signature.hpp>
#include <svc/core/sha1.hpp>

namespace callbacks_test_signature {

using namespace svc::callbacks;

TEST_CASE("callbacks::signature_valid", "[callbacks]")
{
  SECTION("the WeChat documentation vector (token, seconds)")
  {
    CHECK(signature_valid("token", "f43b4a6571a6552356f482636e5a77e7fa33dcc9", "1409304348", "xxxxxx"));
  }
  SECTION("the Weibo documentation vector (app secret, milliseconds)")
  {
    CHECK(signature_valid("xyz123xyz", "90e4c22c90a58f26526c2dd5b6c56c8822edeaa1", "1397022061823", "57155157"));
  }
  SECTION("a signature made with another secret, timestamp or nonce")
  {
    CHECK_FALSE(signature_valid("token2", "f43b4a6571a6552356f482636e5a77e7fa33dcc9", "1409304348", "xxxxxx"));
    CHECK_FALSE(signature_valid("token", "f43b4a6571a6552356f482636e5a77e7fa33dcc9", "1409304349", "xxxxxx"));
    CHECK_FALSE(signature_valid("token", "f43b4a6571a6552356f482636e5a77e7fa33dcc9", "1409304348", "xxxxxy"));
  }
  SECTION("a signature differing in its last character or case")
  {
    CHECK_FALSE(signature_valid("token", "f43b4a6571a6552356f482636e5a77e7fa33dcc8", "1409304348", "xxxxxx"));
    CHECK_FALSE(signature_valid("token", "F43B4A6571A6552356F482636E5A77E7FA33DCC9", "1409304348", "xxxxxx"));
  }
  SECTION("missing parameters never verify, even when the hash of the rest would match")
  {
    std::string only_secret = svc::sorted_sha1_signature({"token", "", ""});
    CHECK_FALSE(signature_valid("token", only_secret, "", ""));
    CHECK_FALSE(signature_valid("token", "", "1409304348", "xxxxxx"));
    std::string no_secret = svc::sorted_sha1_signature({"", "1", "2"});
    CHECK_FALSE(signature_valid("", no_secret, "1", "2"));
  }
}

TEST_CASE("callbacks::telegram_secret_valid", "[callbacks]")
{
  CHECK(telegram_secret_valid("s3cr3t-token_1", std::string_view("s3cr3t-token_1")));
  CHECK_FALSE(telegram_secret_valid("s3cr3t-token_1", std::string_view("s3cr3t-token_2")));
  CHECK_FALSE(telegram_secret_valid("s3cr3t-token_1", std::string_view("s3cr3t-token_")));
  CHECK_FALSE(telegram_secret_valid("s3cr3t-token_1", std::nullopt));
  CHECK_FALSE(telegram_secret_valid("", std::string_view("")));
}

}  // namespace callbacks_test_signature
