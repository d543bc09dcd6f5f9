#include "commands/registry.hpp"

#include <array>

#include "commands/account.hpp"
#include "commands/api.hpp"
#include "commands/completion.hpp"
#include "commands/contact.hpp"
#include "commands/db.hpp"
#include "commands/export.hpp"
#include "commands/guard.hpp"
#include "commands/kb.hpp"
#include "commands/listen.hpp"
#include "commands/messages.hpp"
#include "commands/replay.hpp"
#include "commands/reply.hpp"
#include "commands/report.hpp"
#include "commands/rules.hpp"
#include "commands/sandbox.hpp"
#include "commands/search.hpp"
#include "commands/simulate.hpp"
#include "commands/tag.hpp"
#include "commands/tag_sync.hpp"
#include "commands/send.hpp"
#include "commands/template.hpp"
#include "commands/team.hpp"
#include "commands/watch.hpp"
#include "commands/workflow.hpp"

namespace svc::commands {

namespace {

constexpr std::array k_groups = {
  GroupSpec{"account", "Bind and manage platform accounts"},
  GroupSpec{"agent", "The agents who answer: skills, capacity, presence"},
  GroupSpec{"group", "Skill groups and their overflow"},
  GroupSpec{"db", "Check and maintain the state file"},
  GroupSpec{"outbox", "Outgoing messages: list, retry, cancel"},
  GroupSpec{"sandbox", "The embedded emulator of Weibo, WeChat and Telegram"},
  GroupSpec{"template", "Canned replies with variables: {contact.name}, {agent}, ..."},
  GroupSpec{"contact", "Customers across channels: profiles, linked identities, attributes, notes, CSV"},
  GroupSpec{"tag", "Tags on contacts (filters for inbox, contact list, export and send), synced with WeChat"},
  GroupSpec{"rules", "Keyword rules: conditions on incoming messages, actions (reply, tag, route, notify)"},
  GroupSpec{"watch", "Keyword subscriptions over pulled comments, mentions and messages"},
  GroupSpec{"kb", "The knowledge-base bot: questions, answers, hand-over to a human"},
  GroupSpec{"guard", "The brand guard: banned words and patterns in every outgoing text"},
};

constexpr std::array k_commands = {
  CommandSpec{"account", "bind", "Bind a Weibo, WeChat or Telegram account", setup_account_bind},
  CommandSpec{"account", "list", "List bound accounts", setup_account_list},
  CommandSpec{"account", "show", "Show one account", setup_account_show},
  CommandSpec{"account", "check", "Call the platform with an account's credentials", setup_account_check},
  CommandSpec{"account", "use", "Make an account the default", setup_account_use},
  CommandSpec{"account", "unbind", "Unbind an account (history is kept unless --purge)", setup_account_unbind},
  CommandSpec{"", "pull", "Fetch new messages from every bound account", setup_pull},
  CommandSpec{"", "inbox", "Conversations waiting for an answer, across all accounts", setup_inbox},
  CommandSpec{"", "show", "A conversation's transcript", setup_show},
  CommandSpec{"", "reply", "Answer a conversation (through the outbox)", setup_reply},
  CommandSpec{"", "send", "Proactive messages to contacts (--to/--tag), resumable, within platform windows", setup_send},
  CommandSpec{"template", "add", "Add or replace a template", setup_template_add},
  CommandSpec{"template", "list", "List the templates", setup_template_list},
  CommandSpec{"template", "show", "Show one template", setup_template_show},
  CommandSpec{"template", "remove", "Remove a template", setup_template_remove},
  CommandSpec{"", "claim", "Take a conversation for yourself for a while (others' replies are refused)", setup_claim},
  CommandSpec{"", "release", "Give up your claim on a conversation", setup_release},
  CommandSpec{"", "assign", "Assign a conversation to an agent, by hand or by a routing policy", setup_assign},
  CommandSpec{"", "transfer", "Hand a conversation over to a group with a note", setup_transfer},
  CommandSpec{"", "resolve", "Mark a conversation resolved", setup_resolve},
  CommandSpec{"", "reopen", "Open a resolved conversation again", setup_reopen},
  CommandSpec{"", "history", "A conversation's audit log: who claimed, assigned, replied, when", setup_history},
  CommandSpec{"contact", "list", "Contacts, filtered by tag, account or text", setup_contact_list},
  CommandSpec{"contact", "show", "A contact's profile, identities, attributes, notes, tags and timeline", setup_contact_show},
  CommandSpec{"contact", "lookup", "Fetch a user from the platform by name or id and store the contact", setup_contact_lookup},
  CommandSpec{"contact", "link", "Record that two contacts are the same person", setup_contact_link},
  CommandSpec{"contact", "unlink", "Detach a contact from the person it was linked to", setup_contact_unlink},
  CommandSpec{"contact", "set", "Set attributes of a contact (KEY=VALUE; KEY= removes)", setup_contact_set},
  CommandSpec{"contact", "note", "Add a note to a contact", setup_contact_note},
  CommandSpec{"contact", "export", "Contacts with their tags and attributes as CSV", setup_contact_export},
  CommandSpec{"contact", "import", "Set tags and attributes from a CSV (all rows or none)", setup_contact_import},
  CommandSpec{"tag", "add", "Tag a contact", setup_tag_add},
  CommandSpec{"tag", "remove", "Remove tags from a contact", setup_tag_remove},
  CommandSpec{"tag", "list", "Every tag with its number of contacts, or one contact's tags", setup_tag_list},
  CommandSpec{"tag", "sync", "Sync an account's tags with the platform's own user tags (WeChat)", setup_tag_sync},
  CommandSpec{"agent", "add", "Add an agent", setup_agent_add},
  CommandSpec{"agent", "list", "Agents with their status and load", setup_agent_list},
  CommandSpec{"agent", "remove", "Remove an agent (their open conversations go back to the backlog)", setup_agent_remove},
  CommandSpec{"agent", "status", "Set an agent online, away or offline", setup_agent_status},
  CommandSpec{"group", "add", "Add a skill group", setup_group_add},
  CommandSpec{"group", "list", "Skill groups and their members", setup_group_list},
  CommandSpec{"outbox", "list", "Outgoing messages and their status", setup_outbox_list},
  CommandSpec{"outbox", "retry", "Send a failed (or, with --force, unknown) message again", setup_outbox_retry},
  CommandSpec{"outbox", "cancel", "Cancel a message not yet sent", setup_outbox_cancel},
  CommandSpec{"", "listen", "Receive platform push callbacks into the state file", setup_listen},
  CommandSpec{"", "api", "A raw authenticated call to an account's platform API", setup_api},
  CommandSpec{"sandbox", "serve", "Run the emulator on loopback", setup_sandbox_serve},
  CommandSpec{"sandbox", "inject", "Make a customer write to the sandbox", setup_sandbox_inject},
  CommandSpec{"", "replay", "Resend recorded callbacks, re-signed for the target", setup_replay},
  CommandSpec{"", "simulate", "What a routing policy or roster does to waits and abandonment (and `simulate staff`)", setup_simulate},
  CommandSpec{"sandbox", "trigger", "Make the sandbox push a signed callback to a listener", setup_sandbox_trigger},
  CommandSpec{"", "export", "Messages or conversations as jsonl, csv, html or md, filtered", setup_export},
  CommandSpec{"", "search", "Full-text search over messages and contact names (CJK by substring)", setup_search},
  CommandSpec{"", "report", "KPIs: volume, first response, SLA, abandonment, resolution (--define)", setup_report},
  CommandSpec{"rules", "check", "Validate a rules file, with line numbers", setup_rules_check},
  CommandSpec{"rules", "test", "Which rules fire on a text, and what they would do", setup_rules_test},
  CommandSpec{"rules", "apply", "Apply the rules to messages not yet processed (exactly once each)", setup_rules_apply},
  CommandSpec{"watch", "add", "Save a keyword query (backfilled on creation)", setup_watch_add},
  CommandSpec{"watch", "list", "The saved queries and their new matches", setup_watch_list},
  CommandSpec{"watch", "run", "New matches of one or every saved query since the last run", setup_watch_run},
  CommandSpec{"watch", "remove", "Remove a saved query", setup_watch_remove},
  CommandSpec{"kb", "add", "Add a question with its alternative phrasings and answer", setup_kb_add},
  CommandSpec{"kb", "import", "Import questions and answers from a file", setup_kb_import},
  CommandSpec{"kb", "list", "The knowledge base", setup_kb_list},
  CommandSpec{"kb", "remove", "Remove an entry", setup_kb_remove},
  CommandSpec{"kb", "ask", "What the bot would answer to a text, with its confidence", setup_kb_ask},
  CommandSpec{"kb", "config", "The bot's confidence threshold, human phrases and menu header", setup_kb_config},
  CommandSpec{"guard", "add", "Ban words or patterns from outgoing texts", setup_guard_add},
  CommandSpec{"guard", "list", "The guard list", setup_guard_list},
  CommandSpec{"guard", "remove", "Remove a term from the guard list", setup_guard_remove},
  CommandSpec{"db", "check", "Check the state file's integrity, schema version and counts", setup_db_check},
  CommandSpec{"db", "migrate", "Bring the state file's schema up to date", setup_db_migrate},
  CommandSpec{"db", "vacuum", "Compact the state file", setup_db_vacuum},
  CommandSpec{"", "completion", "Print the shell completion script: bash, zsh or fish", setup_completion},
  CommandSpec{"", "__commands", "The command tree as JSON (for tooling)", setup_dump_commands},
  CommandSpec{"", "__complete", "Names for shell completion", setup_complete},
};

} // namespace

std::span<const CommandSpec>
all_commands()
{
  return k_commands;
}

std::span<const GroupSpec>
all_groups()
{
  return k_groups;
}

} // namespace svc::commands
