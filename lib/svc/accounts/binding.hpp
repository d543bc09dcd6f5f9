// Binding an account: validating what the user gave (names, URLs, which secrets each platform needs)
// and storing it. Secrets are kept as references (env var name, file path) or, for --token-stdin, as the
// value in the 0600 state file; they are never part of an error message.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <svc/config/environment.hpp>
#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>
#include <svc/store/store.hpp>

namespace svc::accounts {

struct BindRequest {
  std::string platform;
  std::string name;
  domain::SecretRef token;
  std::string app_id;
  domain::SecretRef secret;
  domain::SecretRef callback_token;
  domain::SecretRef webhook_secret;
  std::string base_url;
  bool make_default = false;
  std::optional<double> request_rate; // --rate-limit
};

struct BindResult {
  domain::Account account;
  std::vector<std::string> warnings; // e.g. "$T is not set in this shell"
};

Result<domain::SecretRef> secret_from_env(const std::string& variable);
Result<domain::SecretRef> secret_from_file(const std::string& path);
Result<domain::SecretRef> secret_from_value(std::string value, const std::string& what);

// Account names appear in URLs (/hook/NAME) and contact references (NAME:USER_ID).
Status validate_account_name(const std::string& name);

Result<BindResult> bind(store::Store& store, const BindRequest& request, const config::Getenv& getenv);

} // namespace svc::accounts
