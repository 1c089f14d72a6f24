// Property test: over seeded random order streams on books with every fee
// policy (and leverage), base and quote are conserved across all accounts
// plus each book's fee sink and lender, no balance goes negative, and no
// book is ever crossed.
#include <string>

#include "exchange/engine_random_test_util.h"
#include "testing/test.h"

namespace mf {
namespace {

using namespace mf::testing;

MF_TEST(BaseAndQuoteAreConservedOverRandomOrderStreams) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const std::vector<BookConfig> configs = MixedFeeBooks();
    Engine engine(configs);
    constexpr int kAgents = 24;
    RandomInstructions stream(seed, kAgents, static_cast<uint32_t>(configs.size()));
    std::vector<int64_t> base_deposited(configs.size());
    std::vector<int64_t> quote_deposited(configs.size());
    for (uint32_t book = 0; book < configs.size(); ++book) {
      for (int agent = 1; agent <= kAgents; ++agent) {
        const int64_t base = stream.Int(0, 3'000);
        const int64_t quote = stream.Int(0, 400'000);
        engine.Deposit(agent, book, base, quote);
        base_deposited[book] += base;
        quote_deposited[book] += quote;
      }
    }
    std::string broken;
    for (int step = 0; step < 300 && broken.empty(); ++step) {
      for (int i = 0; i < 40; ++i) engine.Submit(stream.Next());
      engine.Step(engine.now_ns() + 10);
      engine.ConsumeEvents(engine.pending_events().size());
      engine.ConsumeNotices(engine.pending_notices().size());
      broken = engine.CheckInvariants();
      // The explicit sums, for books without loans outstanding.
      std::vector<int64_t> base(configs.size());
      std::vector<int64_t> quote(configs.size());
      bool loans = false;
      for (const Account& account : engine.accounts()) {
        base[account.book_id] += account.base.total() + account.base_collateral;
        quote[account.book_id] += account.quote.total() + account.quote_collateral;
        loans = loans || account.open_loans > 0;
        if (account.base.free < 0 || account.quote.free < 0) broken = "negative balance";
      }
      for (uint32_t book = 0; book < configs.size() && !loans; ++book) {
        if (base[book] > base_deposited[book] ||
            quote[book] + engine.fee_sink(book) > quote_deposited[book]) {
          broken = "book " + std::to_string(book) + " created money";
        }
      }
    }
    MF_EXPECT_EQ(broken, std::string());
  }
}

}  // namespace
}  // namespace mf
