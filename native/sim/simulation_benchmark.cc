// The background market's speed (issue 4 goals; shared/reference/perf.md
// §6.2–6.3). An event is an agent wake-up, an exchange message delivered or
// a fill; every event is also appended to the in-memory L3 log and drained.
//
// sim.events_per_core     16 books (one block) on one thread: events/s.
// sim.realtime_factor_128 128 books × τaos's ~2 545 agents on 2 threads:
//                         simulated seconds per wall second.
// sim.max_books_realtime  the largest book count (whole blocks of 16) that
//                         still runs at ≥ 1× real time on 2 threads: the
//                         128-book speed predicts it, then runs confirm it.
//                         Capped at kMaxBooks: a book with τaos's ~2 545
//                         agents takes ~4 MB, and the machine has 24 GB.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "sim/simulation.h"
#include "testing/benchmark.h"

namespace mf::sim {
namespace {

std::unique_ptr<Simulation> Market(uint32_t books, uint32_t threads) {
  SimParams params;  // τaos's populations
  params.simulation.books = books;
  params.simulation.threads = threads;
  std::string error;
  auto simulation = Simulation::Create(params, error);
  if (!simulation) std::fprintf(stderr, "sim benchmark: %s\n", error.c_str());
  return simulation;
}

constexpr uint32_t kMaxBooks = 2048;

uint64_t Events(const Simulation& simulation) {
  return simulation.wakeups() + simulation.messages() + simulation.fills();
}

void StepAndDrain(Simulation& simulation, int seconds) {
  for (int i = 0; i < seconds; ++i) {
    simulation.Step();
    simulation.ConsumeEvents(simulation.pending_events().size());
    simulation.ConsumeNotices(simulation.pending_notices().size());
  }
}

// Simulated seconds per wall second over `seconds`, after the opening
// minute (the initialisation agents' book building) has run.
double RealtimeFactor(Simulation& simulation, int seconds) {
  const auto started = std::chrono::steady_clock::now();
  StepAndDrain(simulation, seconds);
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
  return seconds / wall.count();
}

MF_BENCHMARK(SimEventsPerCore) {
  auto simulation = Market(16, 1);
  StepAndDrain(*simulation, 60);
  const double rate = testing::MedianRate(
      [&] {
        const uint64_t before = Events(*simulation);
        StepAndDrain(*simulation, 60);
        return static_cast<double>(Events(*simulation) - before);
      },
      5);
  testing::Report("sim.events_per_core", rate, "events/s");
}

MF_BENCHMARK(SimRealtime) {
  auto simulation = Market(128, 2);
  StepAndDrain(*simulation, 60);
  double factors[3];
  for (double& factor : factors) factor = RealtimeFactor(*simulation, 60);
  std::sort(std::begin(factors), std::end(factors));
  testing::Report("sim.realtime_factor_128", factors[1], "x");
  simulation.reset();

  // Blocks are independent, so speed scales inversely with the book count:
  // start from the prediction and step down by blocks until a run keeps up.
  uint32_t books = std::clamp<uint32_t>(static_cast<uint32_t>(128 * factors[1] * 0.9) / 16 * 16,
                                        16, kMaxBooks);
  if (books == kMaxBooks) {
    std::fprintf(stderr, "sim.max_books_realtime: trying the %u-book memory cap\n", kMaxBooks);
  }
  uint32_t best = 0;
  for (int attempt = 0; attempt < 4 && best == 0; ++attempt) {
    auto candidate = Market(books, 2);
    StepAndDrain(*candidate, 30);
    const double factor = RealtimeFactor(*candidate, 30);
    std::fprintf(stderr, "sim.max_books_realtime: %u books run at %.2fx\n", books, factor);
    if (factor >= 1) {
      best = books;
    } else {
      books = std::max<uint32_t>(16, static_cast<uint32_t>(books * factor * 0.95) / 16 * 16);
    }
  }
  testing::Report("sim.max_books_realtime", best, "books");
}

}  // namespace
}  // namespace mf::sim
