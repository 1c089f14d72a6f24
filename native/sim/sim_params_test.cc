#include "sim/sim_params.h"

#include "testing/test.h"

namespace mf::sim {
namespace {

MF_TEST(TheTableListsEverySettingWithTaosDefaults) {
  const auto table = ParamTable();
  const SimParams defaults;
  const std::vector<double> values = ToValues(defaults);
  MF_EXPECT_EQ(values.size(), table.size());
  for (size_t i = 0; i < table.size(); ++i) MF_EXPECT_EQ(values[i], table[i].default_value);
  MF_EXPECT_EQ(std::string(table[0].name), "simulation.seed");
  MF_EXPECT_EQ(defaults.stylized.count, 1000.0);
  MF_EXPECT_EQ(defaults.fundamental.hurst, 0.729);
}

MF_TEST(ValuesRoundTripAndBadOnesNameTheSettingAndTheLimit) {
  SimParams params;
  std::vector<double> values = ToValues(params);
  const auto table = ParamTable();
  size_t count_index = 0;
  while (std::string(table[count_index].name) != "stylized.count") ++count_index;
  values[count_index] = 12;
  MF_EXPECT_EQ(FromValues(values, params), std::string());
  MF_EXPECT_EQ(params.stylized.count, 12.0);

  values[count_index] = 100001;
  MF_EXPECT_EQ(FromValues(values, params), std::string("stylized.count: 100001 is above the maximum 100000"));
  values[count_index] = 2.5;
  MF_EXPECT_EQ(FromValues(values, params), std::string("stylized.count: 2.5 must be a whole number"));
  MF_EXPECT_EQ(params.stylized.count, 12.0);  // a refused set changes nothing
  values.pop_back();
  MF_EXPECT_TRUE(FromValues(values, params).starts_with("expected "));
}

}  // namespace
}  // namespace mf::sim
