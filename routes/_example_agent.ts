/**
 * The example agent the miner page (routes/miner.tsx) shows, as source text
 * a miner saves as `my_agent.ts` in a Marketforge checkout. Its test
 * (`_example_agent_test.ts`) type-checks and runs exactly this text.
 *
 * @module
 */

/** File name the page's commands use for the example. */
export const EXAMPLE_AGENT_FILE = "my_agent.ts";

export const EXAMPLE_AGENT = `import type { AgentFactory } from "@/engine/agent/agent.ts";

/** Joins the best bid and ask of every book with post-only orders that expire. */
const joinTheTouch: AgentFactory = ({ params }) => {
  const volume = Number(params.volume ?? 1);
  const expiryNs = Number(params.expirySeconds ?? 10) * 1e9;
  return {
    respond(state, orders) {
      for (const book of state.books) {
        // Still quoting on this book: wait for those orders to fill or expire.
        if ((state.accounts[book.i]?.o.length ?? 0) > 0) continue;
        const bid = book.b[0]?.p;
        const ask = book.a[0]?.p;
        if (bid === undefined || ask === undefined) continue;
        orders.limit({ bookId: book.i, side: 0, price: bid, volume, expiryNs, postOnly: true });
        orders.limit({ bookId: book.i, side: 1, price: ask, volume, expiryNs, postOnly: true });
      }
    },
    onTrade(notice) {
      console.log(\`Filled \${notice.q} on book \${notice.b} at \${notice.p}\`);
    },
  };
};

export default joinTheTouch;
`;
