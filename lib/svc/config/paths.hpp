// Where the state file lives: --state, else SVC_STATE, else $XDG_STATE_HOME/svc/state.db, else
// ~/.local/state/svc/state.db.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <svc/config/environment.hpp>
#include <svc/core/result.hpp>

namespace svc::config {

Result<std::filesystem::path> state_path(const std::optional<std::string>& flag, const Getenv& getenv);

} // namespace svc::config
