// agents.native_market_events: τaos's background market on one book (500
// initialisation agents, 1 000 stylized, 20 market makers, 1 024 noise
// traders, one executor) for one simulated hour, reported as events (agent
// wake-ups plus the exchange's L3 events they cause) per wall-clock second —
// the rate shared/reference/perf.md §2 sizes at 1–3 M/s per core.
#include "sim/agents/internal/test_context.h"
#include "testing/benchmark.h"

namespace mf::sim {
namespace {

constexpr int64_t kSimulatedSeconds = 3600;

MF_BENCHMARK(AgentsNativeMarketEvents) {
  const SimParams params;
  const double rate = testing::MedianRate(
      [&] {
        internal::TestContext context(params, 7);
        context.Start();
        context.RunUntil(kSimulatedSeconds * internal::TestContext::kSecondNs);
        return static_cast<double>(context.wake_log().size() + context.events().size());
      },
      3);
  testing::Report("agents.native_market_events", rate, "events/s");
}

}  // namespace
}  // namespace mf::sim
