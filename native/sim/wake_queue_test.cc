#include "sim/wake_queue.h"

#include <optional>
#include <string>
#include <vector>

#include "testing/test.h"

namespace mf::sim {
namespace {

// The populations of the wake-ups `queue` hands out before `end_ns`, in order.
std::vector<uint8_t> PopAll(WakeQueue& queue, int64_t end_ns) {
  std::vector<uint8_t> populations;
  while (const std::optional<WakeQueue::Wake> wake = queue.PopBefore(end_ns)) {
    populations.push_back(wake->population);
  }
  return populations;
}

MF_TEST(WakeUpsComeEarliestFirstThenInTheOrderScheduled) {
  WakeQueue queue;
  queue.Push(30, 1, 0, 7);
  queue.Push(10, 2, 1, 3);
  queue.Push(30, 3, 0, 1);
  queue.Push(10, 4, 0, 0);
  MF_EXPECT_TRUE(PopAll(queue, 10).empty());
  MF_EXPECT_TRUE(PopAll(queue, 30) == (std::vector<uint8_t>{2, 4}));
  MF_EXPECT_TRUE(PopAll(queue, 31) == (std::vector<uint8_t>{1, 3}));
  MF_EXPECT_EQ(queue.next_sequence(), uint64_t{4});
}

MF_TEST(ASavedQueueLoadsBackAndDamagedOnesAreRefused) {
  WakeQueue queue;
  for (int i = 0; i < 6; ++i) queue.Push(100 - 10 * (i % 3), static_cast<uint8_t>(i), 0, 0);
  ByteWriter out;
  queue.SaveWakes(out);
  const std::vector<uint8_t> bytes = out.bytes();
  MF_EXPECT_EQ(bytes.size(), 8 + 6 * WakeQueue::kSavedWakeBytes);
  const auto any_agent = [](const WakeQueue::Wake&) { return true; };
  std::string error;

  WakeQueue loaded;
  ByteReader in(bytes.data(), bytes.size());
  MF_EXPECT_TRUE(loaded.LoadWakes(in, any_agent, error));
  MF_EXPECT_EQ(in.remaining(), size_t{0});
  MF_EXPECT_TRUE(PopAll(loaded, 1000) == PopAll(queue, 1000));

  ByteReader short_in(bytes.data(), bytes.size() - 1);
  MF_EXPECT_TRUE(!loaded.LoadWakes(short_in, any_agent, error));
  MF_EXPECT_EQ(error, std::string("truncated checkpoint"));

  ByteReader refused_in(bytes.data(), bytes.size());
  const auto no_agent = [](const WakeQueue::Wake& wake) { return wake.population != 4; };
  MF_EXPECT_TRUE(!loaded.LoadWakes(refused_in, no_agent, error));
  MF_EXPECT_EQ(error, std::string("a wake-up in the checkpoint names no agent"));

  std::vector<uint8_t> reordered = bytes;
  // The root's time (the first wake-up's i64, after the count) moved last.
  reordered[8] = 0xff;
  ByteReader reordered_in(reordered.data(), reordered.size());
  MF_EXPECT_TRUE(!loaded.LoadWakes(reordered_in, any_agent, error));
  MF_EXPECT_EQ(error, std::string("the checkpoint's wake-up queue is not in order"));
}

}  // namespace
}  // namespace mf::sim
