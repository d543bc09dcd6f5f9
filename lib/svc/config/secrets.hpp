// Resolving a secret reference at the moment of use: an environment variable's value, a file's first
// line, or the stored value. Error messages name the reference, never the value.
#pragma once

#include <string>

#include <svc/config/environment.hpp>
#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::config {

// `what` names the secret for messages ("token of account 'shop'").
Result<std::string> resolve_secret(const domain::SecretRef& ref, const std::string& what,
                                   const Getenv& getenv);

} // namespace svc::config
