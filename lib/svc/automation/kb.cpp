#include <svc/automation/kb.hpp>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include <svc/contacts/csv.hpp>

namespace svc::automation {

namespace {

constexpr std::size_t k_max_reported_lines = 10;

std::string
trim(std::string_view s)
{
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos)
    return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

std::string
lower(std::string s)
{
  for (char& c : s)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool
is_word_byte(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

// `phrase` in `text` (both normalised) where it does not continue an ASCII word on either side.
bool
contains_phrase(const std::string& text, const std::string& phrase)
{
  for (auto pos = text.find(phrase); pos != std::string::npos; pos = text.find(phrase, pos + 1)) {
    auto end = pos + phrase.size();
    bool starts_ok = !is_word_byte(phrase.front()) || pos == 0 || !is_word_byte(text[pos - 1]);
    bool ends_ok = !is_word_byte(phrase.back()) || end == text.size() || !is_word_byte(text[end]);
    if (starts_ok && ends_ok)
      return true;
  }
  return false;
}

std::optional<int>
parse_menu(const std::string& s)
{
  if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoi(s);
}

std::vector<std::string>
split_phrasings(const std::string& cell)
{
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= cell.size()) {
    auto j = cell.find('|', i);
    if (j == std::string::npos)
      j = cell.size();
    if (auto p = trim(std::string_view(cell).substr(i, j - i)); !p.empty())
      out.push_back(p);
    i = j + 1;
  }
  return out;
}

// Collects "line N: why" for every bad line, and the menu numbers seen, so one error reports them all.
struct Problems {
  std::vector<std::string> lines;
  std::map<int, int> menus; // number -> line

  void add(int line, const std::string& why) { lines.push_back(fmt::format("line {}: {}", line, why)); }

  void entry(int line, const store::KbEntry& e, std::vector<store::KbEntry>& out)
  {
    if (auto ok = check_kb_entry(e); !ok) {
      add(line, ok.error().message);
      return;
    }
    if (e.menu) {
      auto [it, fresh] = menus.emplace(*e.menu, line);
      if (!fresh) {
        add(line, fmt::format("menu {} is also on line {}", *e.menu, it->second));
        return;
      }
    }
    out.push_back(e);
  }

  Status result() const
  {
    if (lines.empty())
      return {};
    std::string shown;
    for (std::size_t i = 0; i < lines.size() && i < k_max_reported_lines; ++i)
      shown += (i ? "; " : "") + lines[i];
    if (lines.size() > k_max_reported_lines)
      shown += fmt::format("; and {} more", lines.size() - k_max_reported_lines);
    return make_error(ErrorKind::usage, "{} bad line{}: {}", lines.size(), lines.size() == 1 ? "" : "s", shown)
      .with_hint("nothing was imported: fix those lines and import the file again");
  }
};

Result<std::vector<store::KbEntry>>
parse_csv(std::string_view content)
{
  SVC_TRY(records, contacts::read_csv(content));
  if (records.empty())
    return make_error(ErrorKind::usage, "the file is empty").with_hint("the first line names the columns: question,answer,phrasings,menu");
  int question = -1, answer = -1, phrasings = -1, menu = -1;
  const auto& header = records.front();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string name = lower(trim(header.fields[i]));
    int* slot = name == "question" ? &question : name == "answer" ? &answer : name == "phrasings" ? &phrasings
              : name == "menu" ? &menu : nullptr;
    if (!slot)
      return make_error(ErrorKind::usage, "line {}: unknown column '{}'", header.line, name)
        .with_hint("the columns are question, answer, phrasings ('|'-separated) and menu");
    if (*slot >= 0)
      return make_error(ErrorKind::usage, "line {}: column '{}' appears twice", header.line, name);
    *slot = static_cast<int>(i);
  }
  if (question < 0 || answer < 0)
    return make_error(ErrorKind::usage, "line {}: the header needs the columns question and answer", header.line)
      .with_hint("e.g. question,answer,phrasings,menu");

  Problems problems;
  std::vector<store::KbEntry> out;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != header.fields.size()) {
      problems.add(rec.line, fmt::format("{} fields, the header has {}", rec.fields.size(), header.fields.size()));
      continue;
    }
    store::KbEntry e;
    e.question = trim(rec.fields[question]);
    e.answer = trim(rec.fields[answer]);
    if (phrasings >= 0)
      e.phrasings = split_phrasings(rec.fields[phrasings]);
    if (menu >= 0) {
      std::string m = trim(rec.fields[menu]);
      if (!m.empty()) {
        e.menu = parse_menu(m);
        if (!e.menu) {
          problems.add(rec.line, fmt::format("menu '{}' is not a number", m));
          continue;
        }
      }
    }
    problems.entry(rec.line, e, out);
  }
  SVC_CHECK(problems.result());
  return out;
}

Result<std::vector<store::KbEntry>>
parse_jsonl(std::string_view content)
{
  Problems problems;
  std::vector<store::KbEntry> out;
  int line = 0;
  std::size_t i = 0;
  while (i < content.size()) {
    auto j = content.find('\n', i);
    if (j == std::string_view::npos)
      j = content.size();
    std::string text = trim(content.substr(i, j - i));
    i = j + 1;
    ++line;
    if (line == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0)
      text = trim(text.substr(3));
    if (text.empty())
      continue;
    auto j_obj = nlohmann::json::parse(text, nullptr, false);
    if (j_obj.is_discarded() || !j_obj.is_object()) {
      problems.add(line, "not a JSON object");
      continue;
    }
    store::KbEntry e;
    std::string why;
    for (const auto& [key, value] : j_obj.items()) {
      if (key == "question" && value.is_string()) {
        e.question = trim(value.get<std::string>());
      } else if (key == "answer" && value.is_string()) {
        e.answer = trim(value.get<std::string>());
      } else if (key == "phrasings" && value.is_array() &&
                 std::all_of(value.begin(), value.end(), [](const auto& p) { return p.is_string(); })) {
        for (const auto& p : value)
          e.phrasings.push_back(trim(p.get<std::string>()));
      } else if (key == "menu" && value.is_number_integer()) {
        e.menu = value.get<int>();
      } else if (key == "menu" && value.is_null()) {
      } else if (key == "question" || key == "answer" || key == "phrasings" || key == "menu") {
        why = fmt::format("'{}' has the wrong type", key);
        break;
      } else {
        why = fmt::format("unknown field '{}' (the fields are question, answer, phrasings, menu)", key);
        break;
      }
    }
    if (!why.empty()) {
      problems.add(line, why);
      continue;
    }
    problems.entry(line, e, out);
  }
  SVC_CHECK(problems.result());
  return out;
}

} // namespace

Status
check_kb_entry(const store::KbEntry& entry)
{
  // The hints name kb add's options; kb import reports only the messages, per line.
  if (trim(entry.question).empty())
    return make_error(ErrorKind::usage, "the question is empty")
      .with_hint("give the question as customers ask it, e.g. --question \"Opening hours?\"");
  if (store::kb_normalize(entry.question).empty())
    return make_error(ErrorKind::usage, "the question '{}' has no words to match", entry.question)
      .with_hint("matching ignores punctuation: the question needs letters, digits or CJK characters");
  if (trim(entry.answer).empty())
    return make_error(ErrorKind::usage, "the answer is empty")
      .with_hint("give the text the bot replies with, e.g. --answer \"9:00-18:00, Monday to Friday\"");
  for (const auto& p : entry.phrasings)
    if (store::kb_normalize(p).empty())
      return make_error(ErrorKind::usage, "an alternative phrasing is empty")
        .with_hint("each --alt needs letters, digits or CJK characters (punctuation is ignored), or drop it");
  if (entry.menu && *entry.menu <= 0)
    return make_error(ErrorKind::usage, "menu number {} is not 1 or more", *entry.menu)
      .with_hint("number welcome-menu items from 1 (--menu 1), or leave --menu out");
  return {};
}

KbFileFormat
kb_file_format(std::string_view path, std::string_view content)
{
  auto ends_with = [&](std::string_view ext) {
    return path.size() >= ext.size() && lower(std::string(path.substr(path.size() - ext.size()))) == ext;
  };
  if (ends_with(".csv"))
    return KbFileFormat::csv;
  if (ends_with(".jsonl") || ends_with(".ndjson") || ends_with(".json"))
    return KbFileFormat::jsonl;
  auto first = content.find_first_not_of(" \t\r\n");
  if (content.substr(0, 3) == "\xEF\xBB\xBF")
    first = content.find_first_not_of(" \t\r\n", 3);
  return first != std::string_view::npos && content[first] == '{' ? KbFileFormat::jsonl : KbFileFormat::csv;
}

Result<std::vector<store::KbEntry>>
parse_kb_file(std::string_view content, KbFileFormat format)
{
  return format == KbFileFormat::csv ? parse_csv(content) : parse_jsonl(content);
}

bool
asks_for_human(const std::vector<std::string>& phrases, std::string_view text)
{
  std::string norm = store::kb_normalize(text);
  for (const auto& p : phrases) {
    std::string phrase = store::kb_normalize(p);
    if (!phrase.empty() && contains_phrase(norm, phrase))
      return true;
  }
  return false;
}

std::optional<int>
menu_choice(std::string_view text)
{
  return parse_menu(store::kb_normalize(text));
}

std::string
menu_text(const std::vector<store::KbEntry>& entries, const std::string& header)
{
  std::vector<const store::KbEntry*> items;
  for (const auto& e : entries)
    if (e.menu)
      items.push_back(&e);
  if (items.empty())
    return "";
  std::sort(items.begin(), items.end(), [](const auto* a, const auto* b) { return *a->menu < *b->menu; });
  std::string out = header;
  for (const auto* e : items)
    out += fmt::format("\n{}. {}", *e->menu, e->question);
  return out;
}

std::string_view
to_string(KbDecision::Kind kind)
{
  switch (kind) {
  case KbDecision::Kind::answer:
    return "answer";
  case KbDecision::Kind::menu:
    return "menu";
  case KbDecision::Kind::hand_over:
    return "hand_over";
  }
  return "hand_over";
}

Result<KbDecision>
decide(store::Store& store, std::string_view text, int candidates)
{
  auto kb = store::knowledge_base(store);
  KbDecision d;
  SVC_TRY(settings, kb->settings());
  d.settings = settings;
  if (asks_for_human(settings.human_phrases, text)) {
    d.kind = KbDecision::Kind::hand_over;
    d.reason = "the customer asked for a human";
    return d;
  }
  if (auto n = menu_choice(text)) {
    SVC_TRY(item, kb->by_menu(*n));
    if (item) {
      d.kind = KbDecision::Kind::answer;
      d.confidence = 1;
      d.reason = fmt::format("menu item {}: kb #{}", *n, item->id);
      d.text = item->answer;
      d.entry = std::move(item);
      return d;
    }
    SVC_TRY(all, kb->list());
    if (auto menu = menu_text(all, settings.menu_header); !menu.empty()) {
      d.kind = KbDecision::Kind::menu;
      d.reason = fmt::format("no menu item {}: the menu again", *n);
      d.text = std::move(menu);
      return d;
    }
  }
  SVC_TRY(matches, kb->match(text, candidates));
  d.candidates = std::move(matches);
  if (d.candidates.empty()) {
    d.kind = KbDecision::Kind::hand_over;
    d.reason = "no entry matches";
    return d;
  }
  const auto& best = d.candidates.front();
  d.confidence = best.confidence;
  if (best.confidence >= settings.threshold) {
    d.kind = KbDecision::Kind::answer;
    d.reason = fmt::format("kb #{} matched with confidence {:.2f} (threshold {:.2f})", best.entry.id,
                           best.confidence, settings.threshold);
    d.text = best.entry.answer;
    d.entry = best.entry;
  } else {
    d.kind = KbDecision::Kind::hand_over;
    d.reason = fmt::format("the best match, kb #{}, has confidence {:.2f}, below the threshold {:.2f}",
                           best.entry.id, best.confidence, settings.threshold);
  }
  return d;
}

} // namespace svc::automation
