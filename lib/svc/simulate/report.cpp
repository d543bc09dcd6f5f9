#include <svc/simulate/report.hpp>

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace svc::simulate {

namespace {

// JSON has no infinity: a figure that is not finite (an unstable Erlang C queue) is null.
nlohmann::json
number(double v)
{
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

// A count: an integer when it is one (one replication: 53, not 53.0); a mean of counts over
// replications stays a number with a fraction.
nlohmann::json
count_json(double v, bool whole)
{
  if (whole && std::isfinite(v) && v == std::floor(v) && std::abs(v) < 0x1p53)
    return nlohmann::json(static_cast<std::int64_t>(v));
  return number(v);
}

nlohmann::json
maybe(const std::optional<double>& v)
{
  return v ? number(*v) : nlohmann::json();
}

} // namespace

std::string
target_text(const Model& model)
{
  return fmt::format("{:g}/{:g}s", model.target_share * 100, model.target_s);
}

nlohmann::json
figures_json(const Summary& summary)
{
  nlohmann::json out = nlohmann::json::object();
  // With one replication (no ci95) the counts are counts; with more they are means per replication.
  const bool one = !summary.ci95;
  for (const auto& f : figure_fields())
    out[std::string(f.name)] = f.count ? count_json(summary.value.*f.field, one) : number(summary.value.*f.field);
  if (summary.ci95) {
    nlohmann::json ci = nlohmann::json::object();
    for (const auto& f : figure_fields())
      ci[std::string(f.name)] = number((*summary.ci95).*f.field);
    out["ci95"] = std::move(ci);
  }
  return out;
}

nlohmann::json
analytic_json(const Analytic& a)
{
  return {{"model", a.model},
          {"stable", a.stable},
          {"p_wait", number(a.p_wait)},
          {"mean_wait_s", number(a.mean_wait_s)},
          {"wait_p50_s", maybe(a.wait_p50_s)},
          {"wait_p90_s", maybe(a.wait_p90_s)},
          {"wait_p99_s", maybe(a.wait_p99_s)},
          {"service_level", number(a.service_level)},
          {"abandon_rate", number(a.abandon_rate)},
          {"occupancy", number(a.occupancy)}};
}

nlohmann::json
policy_json(const PolicyRun& run, const Model& model, const std::optional<Analytic>& analytic,
            const std::string& analytic_note, bool with_analytic)
{
  nlohmann::json out = {{"policy", run.policy}, {"agents", run.agents}};
  nlohmann::json figures = figures_json(run.overall);
  out.update(figures);
  out["target"] = target_text(model);
  out["target_met"] = run.overall.value.service_level >= model.target_share;
  out["measured_arrivals"] = run.measured_arrivals;
  out["arrivals"] = run.arrivals;
  out["events"] = run.events;
  out["elapsed_s"] = run.elapsed_s;
  out["replications"] = run.replications;
  out["seed"] = model.seed;
  out["duration_s"] = model.duration_s;
  out["warmup_s"] = model.warmup_s;
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& g : run.groups) {
    nlohmann::json row = {{"group", g.name.empty() ? nlohmann::json() : nlohmann::json(g.name)}};
    row.update(figures_json(g.figures));
    groups.push_back(std::move(row));
  }
  out["groups"] = std::move(groups);
  nlohmann::json agents = nlohmann::json::array();
  for (const auto& a : run.per_agent)
    agents.push_back({{"agent", a.name},
                      {"occupancy", number(a.occupancy)},
                      {"answered", count_json(a.answered, run.replications == 1)}});
  out["per_agent"] = std::move(agents);
  if (with_analytic) {
    out["analytic"] = analytic ? analytic_json(*analytic) : nlohmann::json();
    if (!analytic)
      out["analytic_note"] = analytic_note;
  }
  return out;
}

nlohmann::json
staff_json(const StaffResult& staff, const Model& model)
{
  auto level = [&](const PolicyRun& run) {
    nlohmann::json j = {{"agents", run.agents}};
    j.update(figures_json(run.overall));
    j["target_met"] = run.overall.value.service_level >= model.target_share;
    j["measured_arrivals"] = run.measured_arrivals;
    j["events"] = run.events;
    j["elapsed_s"] = run.elapsed_s;
    return j;
  };
  nlohmann::json out = level(staff.at);
  out["policy"] = staff.at.policy;
  out["target"] = target_text(model);
  out["replications"] = staff.at.replications;
  out["seed"] = model.seed;
  out["simulations"] = staff.simulations;
  out["at_one_fewer"] = staff.at_one_fewer ? level(*staff.at_one_fewer) : nlohmann::json();
  return out;
}

std::string
share_cell(double value, const std::optional<double>& half_width)
{
  if (!std::isfinite(value))
    return "-";
  std::string out = fmt::format("{:.1f}%", value * 100);
  if (half_width)
    out += fmt::format(" ±{:.1f}", *half_width * 100);
  return out;
}

std::string
seconds_cell(double value, const std::optional<double>& half_width)
{
  if (!std::isfinite(value))
    return "-";
  std::string out = fmt::format("{:.1f}s", value);
  if (half_width)
    out += fmt::format(" ±{:.1f}", *half_width);
  return out;
}

std::string
count_cell(double value, const std::optional<double>& half_width)
{
  std::string out = value == std::floor(value) ? fmt::format("{:.0f}", value) : fmt::format("{:.1f}", value);
  if (half_width)
    out += fmt::format(" ±{:.1f}", *half_width);
  return out;
}

} // namespace svc::simulate
