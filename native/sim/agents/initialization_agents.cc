#include "sim/agents/initialization_agents.h"

#include <algorithm>

#include "sim/agents/internal/book_states.h"

namespace mf::sim {
namespace {

// Orders one agent rests per side when the exchange sets no limit.
constexpr uint32_t kUnlimitedOrdersPerSide = 1000;
// Draws per side beyond the orders placed before an agent gives up (sizes
// below the minimum are redrawn).
constexpr uint32_t kDrawsPerOrder = 4;

constexpr uint8_t kKind = static_cast<uint8_t>(PopulationKind::kInitialization);

}  // namespace

InitializationAgents::InitializationAgents(const SimParams& params, int32_t first_agent_id)
    : Population(first_agent_id, static_cast<uint32_t>(params.init.count)),
      params_(params.init),
      initial_price_(params.book.initial_price) {}

void InitializationAgents::Start(AgentContext& context, uint32_t local_book) {
  if (!grid_.ready()) grid_.Init(context.book_config());
  if (started_.size() <= local_book) started_.resize(local_book + 1, 0);
  if (started_[local_book] != 0) return;
  started_[local_book] = 1;
  const int64_t base_lots = grid_.BaseLots(params_.base);
  const int64_t quote_units = grid_.QuoteUnits(params_.quote);
  for (uint32_t i = 0; i < size(); ++i) {
    context.Deposit(agent_id(i), local_book, base_lots, quote_units);
    PlaceBids(context, local_book, agent_id(i), quote_units);
    PlaceAsks(context, local_book, agent_id(i), base_lots);
  }
}

void InitializationAgents::PlaceBids(AgentContext& context, uint32_t local_book, int32_t agent,
                                     int64_t quote_units) {
  Random& random = context.random();
  const uint32_t cap = grid_.OrdersPerSide() > 0 ? grid_.OrdersPerSide() : kUnlimitedOrdersPerSide;
  const double largest = grid_.Quote(quote_units) / initial_price_ / 2.0;
  const int64_t life_ns = internal::SecondsToNs(params_.life_s);
  int64_t remaining = quote_units;
  uint32_t orders = 0;
  for (uint32_t draw = 0; remaining > 0 && orders < cap && draw < kDrawsPerOrder * cap; ++draw) {
    const int64_t ticks = grid_.FloorTicks(random.Uniform(0.0, initial_price_ - grid_.tick()));
    const double size = random.Uniform(0.0, largest);
    if (ticks <= 0) continue;
    const double within_budget = std::min(size, grid_.Quote(remaining) / grid_.Price(ticks));
    const int64_t lots =
        std::min(grid_.FloorLots(within_budget), grid_.AffordableLots(remaining, ticks));
    if (lots <= 0) break;
    if (lots < grid_.min_lots()) continue;
    context.Submit(grid_.Limit(agent, local_book, Side::kBuy, ticks, lots, 0, life_ns));
    remaining -= grid_.BuyReservation(ticks, lots);
    ++orders;
  }
}

void InitializationAgents::PlaceAsks(AgentContext& context, uint32_t local_book, int32_t agent,
                                     int64_t base_lots) {
  Random& random = context.random();
  const uint32_t cap = grid_.OrdersPerSide() > 0 ? grid_.OrdersPerSide() : kUnlimitedOrdersPerSide;
  const double largest = grid_.Base(base_lots) / 2.0;
  const int64_t life_ns = internal::SecondsToNs(params_.life_s);
  int64_t remaining = base_lots;
  uint32_t orders = 0;
  for (uint32_t draw = 0; remaining > 0 && orders < cap && draw < kDrawsPerOrder * cap; ++draw) {
    const int64_t ticks =
        grid_.FloorTicks(random.Uniform(initial_price_ + grid_.tick(), 2.0 * initial_price_));
    const double size = random.Uniform(0.0, largest);
    if (ticks <= 0) continue;
    const int64_t lots = std::min(grid_.FloorLots(size), remaining);
    if (lots <= 0) break;
    if (lots < grid_.min_lots()) continue;
    context.Submit(grid_.Limit(agent, local_book, Side::kSell, ticks, lots, 0, life_ns));
    remaining -= lots;
    ++orders;
  }
}

void InitializationAgents::Save(ByteWriter& out) const {
  out.U8(kKind);
  out.U32(size());
  out.U32(static_cast<uint32_t>(started_.size()));
  for (uint8_t started : started_) out.U8(started);
}

bool InitializationAgents::Load(ByteReader& in) {
  if (in.U8() != kKind || in.U32() != size()) return false;
  const uint32_t book_count = in.U32();
  if (!in.ok() || book_count > internal::kMaxSavedBooks || in.remaining() < book_count) {
    return false;
  }
  std::vector<uint8_t> started(book_count);
  for (uint8_t& flag : started) flag = in.U8() != 0 ? 1 : 0;
  if (!in.ok()) return false;
  started_ = std::move(started);
  return true;
}

}  // namespace mf::sim
