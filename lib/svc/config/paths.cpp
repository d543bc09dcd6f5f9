#include <svc/config/paths.hpp>

namespace svc::config {

Result<std::filesystem::path>
state_path(const std::optional<std::string>& flag, const Getenv& getenv)
{
  if (flag) {
    if (flag->empty())
      return make_error(ErrorKind::usage, "--state needs a path");
    return std::filesystem::path(*flag);
  }
  if (auto v = getenv("SVC_STATE"))
    return std::filesystem::path(*v);
  if (auto xdg = getenv("XDG_STATE_HOME"); xdg && (*xdg)[0] == '/') // relative XDG paths are ignored
    return std::filesystem::path(*xdg) / "svc" / "state.db";
  if (auto home = getenv("HOME"))
    return std::filesystem::path(*home) / ".local" / "state" / "svc" / "state.db";
  return make_error(ErrorKind::usage, "cannot tell where the state file is: HOME is not set")
    .with_hint("pass --state PATH or set SVC_STATE");
}

} // namespace svc::config
