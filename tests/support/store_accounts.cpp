#include "support/store_accounts.hpp"

#include <catch2/catch.hpp>

namespace svc::test {

domain::Account
bind_account(store::Store& store, const std::string& name, domain::Platform platform, const std::string& token_env)
{
  domain::Account a;
  a.name = name;
  a.platform = platform;
  a.token = {domain::SecretRef::Source::env, token_env};
  auto bound = store.accounts().bind(a, false);
  if (!bound)
    FAIL("binding account " << name << ": " << bound.error().message);
  return *bound;
}

} // namespace svc::test
