#include <catch2/catch.hpp>

#include <svc/core/sha1.hpp>

namespace core_test_sha1 {

using namespace svc;

TEST_CASE("core::sha1_hex", "[core][sha1]")
{
  CHECK(sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST_CASE("core::sorted_sha1_signature", "[core][sha1]")
{
  // The platforms' own test vectors (../shared/design/platform-apis.md §1.10 and §2.7).
  CHECK(sorted_sha1_signature({"xyz123xyz", "1397022061823", "57155157"})
        == "90e4c22c90a58f26526c2dd5b6c56c8822edeaa1"); // Weibo fans service
  CHECK(sorted_sha1_signature({"token", "1409304348", "xxxxxx"})
        == "f43b4a6571a6552356f482636e5a77e7fa33dcc9"); // WeChat
}

TEST_CASE("core::constant_time_equal", "[core][sha1]")
{
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
  CHECK_FALSE(constant_time_equal("", "a"));
  CHECK(constant_time_equal("", ""));
}

}  // namespace core_test_sha1
