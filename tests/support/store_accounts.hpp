// Binding an account in a test's store: the few lines every store-backed fixture starts with.
#pragma once

#include <string>

#include <svc/domain/model.hpp>
#include <svc/store/store.hpp>

namespace svc::test {

// Binds account `name` on `platform` (not as the default) with its token read from env var `token_env`,
// REQUIREs that it worked and returns it as stored (id, created_at filled in). Tests that need other
// fields (app_id, base_url, rate) or an expected refusal bind by hand.
domain::Account bind_account(store::Store& store, const std::string& name, domain::Platform platform,
                             const std::string& token_env = "T");

} // namespace svc::test
