#include "commands/help_examples.hpp"

#include <array>

namespace svc::commands {

namespace {

struct Entry {
  std::string_view path;
  HelpExample example;
};

// Keep each example runnable as written (with a bound account named shop, conversation 12, contact 42).
constexpr std::array k_examples = {
  Entry{"", {"svc account bind telegram shop --token-env SHOP_TOKEN", "Bind a Telegram bot; the token stays in $SHOP_TOKEN"}},
  Entry{"", {"svc pull && svc inbox", "Fetch what customers wrote, then list what waits for an answer"}},
  Entry{"", {"svc reply 12 --as alice --text \"Thanks, we're on it\"", "Answer conversation 12 as alice"}},

  Entry{"account bind", {"svc account bind telegram shop --token-env SHOP_TOKEN", "A Telegram bot whose token is read from $SHOP_TOKEN at each use"}},
  Entry{"account bind", {"svc account bind wechat wx --app-id wx123 --secret-env WX_SECRET --callback-token-env WX_CALLBACK_TOKEN", "A WeChat official account, with the token its push callbacks are signed with"}},
  Entry{"account bind", {"svc account bind weibo wb --token-env WB_TOKEN --base-url http://127.0.0.1:8000", "A Weibo account on the sandbox (svc sandbox serve)"}},
  Entry{"account list", {"svc account list", "Every bound account, the default one marked"}},
  Entry{"account list", {"svc --format json account list", "The same as JSON, for scripts"}},
  Entry{"account show", {"svc account show shop", "One account: platform, identity, where its secrets come from"}},
  Entry{"account check", {"svc account check --all", "Call every platform with its credentials; exit 4 when one is refused"}},
  Entry{"account check", {"svc account check shop", "Only the account shop"}},
  Entry{"account use", {"svc account use shop", "Commands that take one account use shop from now on"}},
  Entry{"account unbind", {"svc account unbind shop", "Forget the credentials, keep the history"}},
  Entry{"account unbind", {"svc account unbind shop --purge", "Also delete its messages, conversations and contacts"}},

  Entry{"pull", {"svc pull", "Every bound account, every channel; run twice, stores nothing twice"}},
  Entry{"pull", {"svc pull --account shop --channel dm", "Only shop's private messages"}},
  Entry{"pull", {"svc pull --follow --interval 30s", "Keep pulling every 30 seconds until Ctrl-C"}},
  Entry{"inbox", {"svc inbox", "Open conversations, oldest waiting first, across all accounts"}},
  Entry{"inbox", {"svc inbox --assignee none --channel dm", "The unassigned private messages"}},
  Entry{"inbox", {"svc --format json inbox --tag vip", "Conversations with VIP customers, as JSON"}},
  Entry{"show", {"svc show 12", "Conversation 12's transcript"}},
  Entry{"show", {"svc --format json show 12 --raw", "With each message's platform payload"}},
  Entry{"reply", {"svc reply 12 --text \"Thanks, we're on it\"", "Answer conversation 12 (through the outbox)"}},
  Entry{"reply", {"svc reply 12 --template thanks --var order=5521", "Answer with a template"}},
  Entry{"reply", {"echo 'See you tomorrow' | svc reply 12 -", "Read the answer from stdin"}},
  Entry{"send", {"svc send --tag vip --account wx --template thanks --rate 20/min", "Every VIP contact of wx, resumable"}},
  Entry{"send", {"svc send --to 42 --account shop --text \"Your order has shipped\" --dry-run", "Who would get what; send nothing"}},

  Entry{"template add", {"svc template add thanks \"Hi {contact.name}, {agent} here: thanks for writing!\"", "A canned reply with variables"}},
  Entry{"template add", {"svc template add policy - < policy.txt", "The text from stdin"}},
  Entry{"template list", {"svc template list", "Every template with its variables"}},
  Entry{"template show", {"svc template show thanks", "One template's text"}},
  Entry{"template remove", {"svc template remove thanks", "Remove it"}},

  Entry{"claim", {"svc claim 12 --as alice", "Alice takes conversation 12 for 15 minutes"}},
  Entry{"claim", {"svc claim 12 --ttl 1h", "Claim (or renew the claim) for an hour"}},
  Entry{"release", {"svc release 12", "Give the conversation back"}},
  Entry{"assign", {"svc assign 12 --to bob", "Assign by hand"}},
  Entry{"assign", {"svc assign --auto --all-unassigned --policy least-busy", "Route the whole backlog as capacity allows"}},
  Entry{"assign", {"svc assign 14 --explain --policy sticky", "Every candidate and why the winner won; change nothing"}},
  Entry{"transfer", {"svc transfer 12 --to-group billing --note \"wants a refund of order 5521\"", "Hand over to the billing group"}},
  Entry{"resolve", {"svc resolve 12", "Mark conversation 12 resolved"}},
  Entry{"reopen", {"svc reopen 12", "Open it again"}},
  Entry{"history", {"svc history 12", "Who claimed, assigned, replied, when"}},
  Entry{"history", {"svc --format jsonl history 12", "One JSON object per event"}},

  Entry{"contact list", {"svc contact list --tag vip --account shop", "shop's VIP contacts"}},
  Entry{"contact list", {"svc contact list --search 小雨", "Contacts whose name, id or attributes contain the text"}},
  Entry{"contact show", {"svc contact show 42", "Profile, identities, attributes, notes, tags and timeline"}},
  Entry{"contact show", {"svc contact show wb:1402400261", "The same, by ACCOUNT:PLATFORM_USER_ID"}},
  Entry{"contact lookup", {"svc contact lookup wb --name 小雨点", "Fetch a Weibo user who never wrote, and store the contact"}},
  Entry{"contact link", {"svc contact link 42 wx:oCustomer7", "The same person on Weibo and WeChat"}},
  Entry{"contact unlink", {"svc contact unlink 57", "Contact 57 is a person of its own again"}},
  Entry{"contact set", {"svc contact set 42 order=5521 city=Shanghai", "Set two attributes"}},
  Entry{"contact set", {"svc contact set 42 city=", "Remove an attribute"}},
  Entry{"contact note", {"svc contact note 42 \"prefers WeChat, after 18:00\"", "Add a note"}},
  Entry{"contact export", {"svc contact export -o contacts.csv", "Every contact with tags and attributes"}},
  Entry{"contact export", {"svc contact export --tag vip --bom > vip.csv", "For Excel"}},
  Entry{"contact import", {"svc contact import contacts.csv", "All rows or none; bad rows are reported with line numbers"}},
  Entry{"contact import", {"svc contact import contacts.csv --skip-bad", "Import the good rows"}},
  Entry{"tag add", {"svc tag add 42 vip returning", "Two tags on contact 42"}},
  Entry{"tag remove", {"svc tag remove 42 returning", "Remove one"}},
  Entry{"tag list", {"svc tag list", "Every tag with its number of contacts"}},
  Entry{"tag list", {"svc tag list 42", "Contact 42's tags"}},
  Entry{"tag sync", {"svc tag sync wx --dry-run", "The plan: local tags against WeChat's user tags"}},
  Entry{"tag sync", {"svc tag sync wx", "Apply it"}},

  Entry{"agent add", {"svc agent add alice --skills billing,refunds --max-chats 5 --status online", "An agent with skills and capacity"}},
  Entry{"agent list", {"svc agent list", "Agents with status and load"}},
  Entry{"agent remove", {"svc agent remove bob", "Bob's open conversations go back to the backlog"}},
  Entry{"agent status", {"svc agent status alice away", "Alice gets no new conversations"}},
  Entry{"group add", {"svc group add general", "No skills: every agent is in it"}},
  Entry{"group add", {"svc group add billing --skills billing --overflow-to general --after 2m", "With overflow"}},
  Entry{"group list", {"svc group list", "Groups and their members"}},

  Entry{"outbox list", {"svc outbox list --status failed", "Messages that could not be sent"}},
  Entry{"outbox list", {"svc outbox list", "Every outgoing message and its status"}},
  Entry{"outbox retry", {"svc outbox retry 7", "Send failed message 7 again"}},
  Entry{"outbox retry", {"svc outbox retry 8 --force", "Also when its outcome is unknown (it may arrive twice)"}},
  Entry{"outbox cancel", {"svc outbox cancel 9", "Never send message 9"}},

  Entry{"listen", {"svc listen --port 8080 --record callbacks.jsonl", "Receive pushes at /hook/ACCOUNT and keep a copy"}},
  Entry{"listen", {"svc listen --port 0 --port-file /tmp/port --forward-to http://127.0.0.1:9000/hook", "Any free port; pass each callback on"}},
  Entry{"api", {"svc api shop GET getMe", "A raw Telegram Bot API call with shop's token"}},
  Entry{"api", {"svc api wb GET /2/users/show.json -f screen_name=小雨点", "A Weibo call with a parameter"}},
  Entry{"replay", {"svc replay callbacks.jsonl --to http://127.0.0.1:8080", "Recorded callbacks again, re-signed"}},

  Entry{"sandbox serve", {"svc sandbox serve --port-file /tmp/port > /tmp/sandbox.json &", "The emulator; its credentials as JSON"}},
  Entry{"sandbox serve", {"svc sandbox serve --seed 7 --rate 5/s --faults rate_limit=0.05,server_error=0.02", "Live traffic and faults"}},
  Entry{"sandbox inject", {"svc sandbox inject --url http://127.0.0.1:8000 --platform weibo --channel comment --from 小雨点 --text 还没发货吗？", "A customer comment"}},
  Entry{"sandbox trigger", {"svc sandbox trigger --url http://127.0.0.1:8000 --platform wechat text --to http://127.0.0.1:8080/hook/wx --set text=你好", "A signed WeChat push to svc listen"}},

  Entry{"simulate", {"svc simulate --agents 14 --arrivals 200/h --handle exp:3m --patience none --analytic", "Beside Erlang C"}},
  Entry{"simulate", {"svc simulate --from-state --replay --since 30d --compare least-busy,sticky,skills", "Last month's traffic under three policies"}},
  Entry{"simulate staff", {"svc simulate staff --target 80/20s --arrivals 540/h --handle exp:5m --patience exp:3m", "The fewest agents that meet 80% within 20 s"}},
  Entry{"simulate staff", {"svc --format json simulate staff --target 90/30s --arrivals 120/h", "As JSON"}},

  Entry{"export", {"svc export --since 7d -o week.jsonl", "Last week's messages, one JSON object each"}},
  Entry{"export", {"svc export --format csv --bom --account shop --since 2026-11-01 -o november.csv", "For Excel"}},
  Entry{"export", {"svc export --format html --per conversation --tag vip -o vip.html", "Readable transcripts"}},
  Entry{"search", {"svc search 退款", "Messages and contact names containing the text (CJK by substring)"}},
  Entry{"search", {"svc search \"refund order\" --account shop --since 30d --limit 20", "Within one account and month"}},
  Entry{"report", {"svc report --since 24h", "Volume, first response, SLA, abandonment, resolution"}},
  Entry{"report", {"svc report --by agent --since 7d --sla 5m --html week.html", "Per agent, as an HTML page"}},
  Entry{"report", {"svc report --define", "The exact definition of every figure"}},

  Entry{"rules check", {"svc rules check rules.toml", "Validate a rules file, with line numbers"}},
  Entry{"rules test", {"svc rules test \"我要退款\" --channel dm", "Which rules fire, and what they would do"}},
  Entry{"rules apply", {"svc rules apply --dry-run", "What the rules would do to the messages not yet processed"}},
  Entry{"rules apply", {"svc rules apply --since 24h", "Apply them (each message exactly once)"}},
  Entry{"watch add", {"svc watch add refunds \"退款 OR refund\"", "A saved keyword query, backfilled"}},
  Entry{"watch list", {"svc watch list", "The saved queries and their new matches"}},
  Entry{"watch run", {"svc watch run", "New matches of every query since the last run"}},
  Entry{"watch run", {"svc --format jsonl watch run refunds", "One query, as JSON lines"}},
  Entry{"watch remove", {"svc watch remove refunds", "Remove a saved query"}},
  Entry{"kb add", {"svc kb add --question \"How long does shipping take?\" --answer \"2-3 days in mainland China\"", "One entry"}},
  Entry{"kb import", {"svc kb import faq.csv", "Questions and answers from a file"}},
  Entry{"kb list", {"svc kb list", "The knowledge base"}},
  Entry{"kb remove", {"svc kb remove 3", "Remove entry 3"}},
  Entry{"kb ask", {"svc kb ask \"多久发货？\"", "The answer the bot would give, with its confidence"}},
  Entry{"kb config", {"svc kb config --threshold 0.75", "The bot answers only at 75% confidence or more"}},
  Entry{"kb config", {"svc kb config --human-phrase 人工 --human-phrase agent", "Phrases with which a customer asks for a human"}},
  Entry{"guard add", {"svc guard add 最便宜 guaranteed", "Refuse outgoing texts with these words"}},
  Entry{"guard list", {"svc guard list", "The guard list"}},
  Entry{"guard remove", {"svc guard remove guaranteed", "Allow it again"}},

  Entry{"db check", {"svc db check", "Integrity, schema version and row counts"}},
  Entry{"db migrate", {"svc --state /backup/state.db db migrate", "Bring an older state file up to date"}},
  Entry{"db vacuum", {"svc db vacuum", "Compact the state file"}},
  Entry{"completion", {"svc completion bash > ~/.local/share/bash-completion/completions/svc", "Bash completion for one user"}},
  Entry{"completion", {"source <(svc completion zsh)", "zsh, in this shell"}},
  Entry{"completion", {"svc completion fish > ~/.config/fish/completions/svc.fish", "fish"}},
};

} // namespace

std::vector<HelpExample>
help_examples(std::string_view path)
{
  std::vector<HelpExample> out;
  for (const auto& e : k_examples)
    if (e.path == path)
      out.push_back(e.example);
  return out;
}

std::string
help_footer(std::string_view path)
{
  auto examples = help_examples(path);
  if (examples.empty())
    return "";
  std::string out = "Examples:\n";
  for (const auto& e : examples) {
    out += "  ";
    out += e.command;
    out += "\n      ";
    out += e.what;
    out += '\n';
  }
  return out;
}

} // namespace svc::commands
