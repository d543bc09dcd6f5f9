// `svc reply` refusing bad options in-process: where the reply comes from (--text, --file, -, --template)
// is checked before anything is read from or written to the state, each refusal one line and a hint.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "support/expect_svc.hpp"

namespace commands_test_reply {

using namespace svc;
using namespace svc::test;

TEST_CASE("svc reply refuses a bad source of the reply with a hint, exit 2", "[commands][reply]")
{
  SvcEnv env;
  auto& svc = env.svc;
  auto missing = (env.dir / "missing.txt").string();
  auto o = fails(svc, {"reply", "1", "--file", missing}, 2, "svc: error: cannot read " + missing + ": ");
  CHECK(o.err.find("\nhint: give a readable file with --file PATH") != std::string::npos);
  CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 2); // one line, then its hint

  fails(svc, {"reply", "1"}, 2, "svc: error: give the reply once");
  fails(svc, {"reply", "1", "--text", "hi", "--file", missing}, 2, "hint: these sources exclude each other");
  fails(svc, {"reply", "1", "--text", "hi", "--var", "a=1"}, 2, "svc: error: --var only fills a --template");
  fails(svc, {"reply", "1", "--text", "hi", "extra"}, 2, "svc: error: unexpected argument 'extra'");
  // Refused before the state was opened: nothing was created.
  CHECK_FALSE(std::filesystem::exists(env.state));
}

}  // namespace commands_test_reply
