#include "sim/sim_params.h"

#include <cmath>
#include <cstdio>

namespace mf::sim {
namespace {

// A pointer to each value inside `params`, in table order.
std::vector<double*> Fields(SimParams& params) {
  std::vector<double*> fields;
#define MF_SIM_PARAM_POINTER(field, default_value, min, max, kind, doc) \
  fields.push_back(&group_->field);
#define MF_SIM_PARAM_GROUP_POINTERS(group, Type, PARAMS) \
  {                                                      \
    auto* group_ = &params.group;                        \
    PARAMS(MF_SIM_PARAM_POINTER)                         \
  }
  MF_SIM_PARAM_GROUPS(MF_SIM_PARAM_GROUP_POINTERS)
#undef MF_SIM_PARAM_GROUP_POINTERS
#undef MF_SIM_PARAM_POINTER
  return fields;
}

std::vector<ParamInfo> BuildTable() {
  std::vector<ParamInfo> table;
#define MF_SIM_PARAM_INFO(field, default_value, min, max, kind, doc) \
  table.push_back(ParamInfo{nullptr, default_value, min, max, ParamKind::kind, doc});  \
  names.push_back(prefix + #field);
#define MF_SIM_PARAM_GROUP_INFO(group, Type, PARAMS) \
  prefix = #group ".";                               \
  PARAMS(MF_SIM_PARAM_INFO)
  static std::vector<std::string> names;
  std::string prefix;
  MF_SIM_PARAM_GROUPS(MF_SIM_PARAM_GROUP_INFO)
#undef MF_SIM_PARAM_GROUP_INFO
#undef MF_SIM_PARAM_INFO
  for (size_t i = 0; i < table.size(); ++i) table[i].name = names[i].c_str();
  return table;
}

std::string Format(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace

std::span<const ParamInfo> ParamTable() {
  static const std::vector<ParamInfo> table = BuildTable();
  return table;
}

std::vector<double> ToValues(const SimParams& params) {
  SimParams copy = params;
  std::vector<double> values;
  for (const double* field : Fields(copy)) values.push_back(*field);
  return values;
}

std::string FromValues(std::span<const double> values, SimParams& params) {
  const std::span<const ParamInfo> table = ParamTable();
  if (values.size() != table.size()) {
    return "expected " + std::to_string(table.size()) + " settings, got " +
           std::to_string(values.size());
  }
  SimParams parsed;
  const std::vector<double*> fields = Fields(parsed);
  for (size_t i = 0; i < table.size(); ++i) {
    const ParamInfo& info = table[i];
    const double value = values[i];
    if (!std::isfinite(value)) return std::string(info.name) + ": must be a finite number";
    if (value < info.min) {
      return std::string(info.name) + ": " + Format(value) + " is below the minimum " +
             Format(info.min);
    }
    if (value > info.max) {
      return std::string(info.name) + ": " + Format(value) + " is above the maximum " +
             Format(info.max);
    }
    if (info.kind == ParamKind::kInteger && value != std::floor(value)) {
      return std::string(info.name) + ": " + Format(value) + " must be a whole number";
    }
    *fields[i] = value;
  }
  if (parsed.stylized.wealth_min > parsed.stylized.wealth_max) {
    return "stylized.wealth_min: must not exceed stylized.wealth_max";
  }
  if (parsed.noise.wealth_min > parsed.noise.wealth_max) {
    return "noise.wealth_min: must not exceed noise.wealth_max";
  }
  if (parsed.stylized.wake_min_s > parsed.stylized.wake_max_s) {
    return "stylized.wake_min_s: must not exceed stylized.wake_max_s";
  }
  if (parsed.stylized.order_latency_min_ms > parsed.stylized.order_latency_max_ms) {
    return "stylized.order_latency_min_ms: must not exceed stylized.order_latency_max_ms";
  }
  if (parsed.hft.order_latency_min_ms > parsed.hft.order_latency_max_ms) {
    return "hft.order_latency_min_ms: must not exceed hft.order_latency_max_ms";
  }
  if (parsed.book.price_decimals + parsed.book.volume_decimals > 12) {
    return "book.price_decimals: price and volume decimals together must be at most 12";
  }
  params = parsed;
  return "";
}

}  // namespace mf::sim
