// svc listen: receive platform push callbacks (WeChat, Weibo fans service, Telegram webhook) into the
// state file, one path per bound account (/hook/NAME). cli.md "listen".
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_listen(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
