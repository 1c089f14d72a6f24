#include "sim/magnetic_field.h"

#include <cmath>
#include <vector>

#include "testing/test.h"

namespace mf::sim {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kPeriod = 60 * kSecond;  // τaos's default update period

std::vector<int> Spins(const MagneticField& field, uint32_t cells) {
  std::vector<int> spins(cells);
  for (uint32_t i = 0; i < cells; ++i) spins[i] = field.Spin(i);
  return spins;
}

std::vector<uint8_t> Saved(const MagneticField& field) {
  ByteWriter writer;
  field.Save(writer);
  return writer.bytes();
}

// Mean |m| over `sweeps` sweeps after `burn_in`, over `seeds` lattices.
double MeanAbsMagnetization(const FieldParams& params, int seeds, int burn_in, int sweeps) {
  double sum = 0;
  for (int seed = 0; seed < seeds; ++seed) {
    MagneticField field(params, 500 + seed);
    field.AdvanceTo(burn_in * kPeriod);
    for (int sweep = 1; sweep <= sweeps; ++sweep) {
      field.AdvanceTo((burn_in + sweep) * kPeriod);
      sum += std::fabs(field.magnetization());
    }
  }
  return sum / (seeds * sweeps);
}

MF_TEST(MagnetizationIsTheMeanSpin) {
  FieldParams params;  // τaos 0.6.x: 32 × 32, α 1.17, β 0.445
  MagneticField field(params, 1);
  for (int sweep = 0; sweep <= 30; ++sweep) {
    field.AdvanceTo(sweep * kPeriod);
    int total = 0;
    for (int spin : Spins(field, 1024)) {
      MF_EXPECT_TRUE(spin == 1 || spin == -1);
      total += spin;
    }
    MF_EXPECT_EQ(field.magnetization(), total / 1024.0);
    MF_EXPECT_TRUE(field.magnetization() >= -1 && field.magnetization() <= 1);
  }
  // Indices wrap around the lattice.
  MF_EXPECT_EQ(field.Spin(1024 + 5), field.Spin(5));
}

MF_TEST(SweepsRunAtTheirUpdateTimes) {
  FieldParams params;
  MagneticField field(params, 2);
  const std::vector<int> initial = Spins(field, 1024);
  field.AdvanceTo(kPeriod - 1);
  MF_EXPECT_TRUE(Spins(field, 1024) == initial);
  field.AdvanceTo(kPeriod);
  MF_EXPECT_TRUE(Spins(field, 1024) != initial);
  // Sweeps 2–4 at once equal them one by one.
  MagneticField stepped(params, 2);
  for (int sweep = 1; sweep <= 4; ++sweep) stepped.AdvanceTo(sweep * kPeriod);
  field.AdvanceTo(4 * kPeriod + 7);
  MF_EXPECT_TRUE(Saved(field) == Saved(stepped));
}

MF_TEST(FieldSameSeedSameLattice) {
  FieldParams params;
  MagneticField first(params, 9);
  MagneticField second(params, 9);
  MagneticField other(params, 10);
  for (MagneticField* field : {&first, &second, &other}) field->AdvanceTo(20 * kPeriod);
  MF_EXPECT_TRUE(Spins(first, 1024) == Spins(second, 1024));
  MF_EXPECT_EQ(first.magnetization(), second.magnetization());
  MF_EXPECT_TRUE(Spins(first, 1024) != Spins(other, 1024));
}

MF_TEST(FieldSaveLoadContinuesIdentically) {
  FieldParams params;
  MagneticField original(params, 11);
  original.AdvanceTo(13 * kPeriod);
  const std::vector<uint8_t> bytes = Saved(original);
  MagneticField restored(params, 12);
  ByteReader reader(bytes.data(), bytes.size());
  MF_EXPECT_TRUE(restored.Load(reader));
  MF_EXPECT_EQ(reader.remaining(), size_t{0});
  for (int sweep = 14; sweep <= 30; ++sweep) {
    original.AdvanceTo(sweep * kPeriod);
    restored.AdvanceTo(sweep * kPeriod);
    MF_EXPECT_EQ(restored.magnetization(), original.magnetization());
  }
  MF_EXPECT_TRUE(Spins(restored, 1024) == Spins(original, 1024));
  MF_EXPECT_TRUE(Saved(restored) == Saved(original));
}

MF_TEST(FieldLoadRefusesOtherSettingsAndBadBytes) {
  FieldParams params;
  MagneticField original(params, 11);
  std::vector<uint8_t> bytes = Saved(original);
  FieldParams other_params = params;
  other_params.rows = 16;
  MagneticField other_rows(other_params, 11);
  ByteReader reader(bytes.data(), bytes.size());
  MF_EXPECT_TRUE(!other_rows.Load(reader));
  MagneticField truncated(params, 11);
  ByteReader short_reader(bytes.data(), bytes.size() - 1);
  MF_EXPECT_TRUE(!truncated.Load(short_reader));
  bytes.back() = 0xFF;  // not a spin/strategy pair
  MagneticField garbled(params, 11);
  ByteReader garbled_reader(bytes.data(), bytes.size());
  MF_EXPECT_TRUE(!garbled.Load(garbled_reader));
}

MF_TEST(AtInfiniteTemperatureSpinsAreRandom) {
  FieldParams params;
  params.beta = 0;  // every update is a fair coin
  // E|m| = √(2/π)/32 ≈ 0.025 for 1 024 independent spins.
  MF_EXPECT_TRUE(MeanAbsMagnetization(params, 4, 5, 50) < 0.05);
}

MF_TEST(AtLowTemperatureWithoutTheGlobalTermTheLatticeOrders) {
  FieldParams params;
  // A small lattice: on larger ones a seed can freeze into stripes, ordered
  // but with m ≈ 0, for longer than a test runs.
  params.rows = 8;
  params.alpha = 0;
  params.beta = 1;  // far above the eight-neighbour critical β ≈ 0.19
  MF_EXPECT_TRUE(MeanAbsMagnetization(params, 16, 400, 20) > 0.8);
}

MF_TEST(TheGlobalTermKeepsTheMarketFromFreezing) {
  // Bornholdt: with α > 0 the strategy spins frustrate full order, so |m|
  // stays below the α = 0 ordered state.
  FieldParams ordered;
  ordered.rows = 8;
  ordered.alpha = 0;
  ordered.beta = 1;
  FieldParams frustrated = ordered;
  frustrated.alpha = 8;
  MF_EXPECT_TRUE(MeanAbsMagnetization(frustrated, 8, 400, 20) <
                 MeanAbsMagnetization(ordered, 8, 400, 20));
}

}  // namespace
}  // namespace mf::sim
