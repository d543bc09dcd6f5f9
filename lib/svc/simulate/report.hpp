// The output of `svc simulate` and `svc simulate staff` as JSON (cli.md: one object per policy with
// policy, agents, offered, answered, abandoned, abandon_rate, p_wait, mean_wait_s, wait_p50_s,
// wait_p90_s, wait_p99_s, service_level, occupancy, measured_arrivals, events, elapsed_s, and ci95
// with --replications), and the short text cells of the table view.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <svc/simulate/erlang.hpp>
#include <svc/simulate/figures.hpp>
#include <svc/simulate/model.hpp>
#include <svc/simulate/staff.hpp>

namespace svc::simulate {

// "80/20s"
std::string target_text(const Model& model);

nlohmann::json figures_json(const Summary& summary);
nlohmann::json analytic_json(const Analytic& analytic);
// One policy's object; `analytic` (or the reason there is none) when --analytic was asked for.
nlohmann::json policy_json(const PolicyRun& run, const Model& model, const std::optional<Analytic>& analytic,
                           const std::string& analytic_note, bool with_analytic);
// {agents, service_level, ..., policy, target, at_one_fewer: {...}}.
nlohmann::json staff_json(const StaffResult& staff, const Model& model);

// Table cells: "0.888", "0.888 ±0.004", "12.3 s", "87.5%".
std::string share_cell(double value, const std::optional<double>& half_width);
std::string seconds_cell(double value, const std::optional<double>& half_width);
std::string count_cell(double value, const std::optional<double>& half_width);

} // namespace svc::simulate
