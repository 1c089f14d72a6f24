import { deepEqual, equal } from "node:assert/strict";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { TAOS_BOOK_CONFIG } from "@/engine/book_records.ts";
import { OrderBuilder } from "@/engine/agent/order_builder.ts";
import type { StateUpdate } from "@/engine/protocol/state_update.ts";
import { simulationConfig } from "@/server/validator_loop.ts";
import { repoPath } from "@/server/paths.ts";
import { EXAMPLE_AGENT } from "@/routes/_example_agent.ts";

/** Saves the example where a miner would, in the checkout, so `@/` imports resolve. */
async function withExampleFile(use: (path: string) => Promise<void>): Promise<void> {
  const path = await Deno.makeTempFile({
    dir: repoPath("."),
    prefix: "_example_agent_",
    suffix: ".ts",
  });
  try {
    await Deno.writeTextFile(path, EXAMPLE_AGENT);
    await use(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("EXAMPLE_AGENT type-checks as an agent module", async () => {
  await withExampleFile(async (path) => {
    const { success, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", path],
      cwd: repoPath("."),
      env: { DENO_NO_PACKAGE_JSON: "1", NO_COLOR: "1" },
    }).output();
    equal(success, true, new TextDecoder().decode(stderr));
  });
});

Deno.test("EXAMPLE_AGENT joins the touch on books where it has no open orders", async () => {
  await withExampleFile(async (path) => {
    const factory = (await import(new URL(`file://${path}`).href)).default as AgentFactory;
    const config = simulationConfig([TAOS_BOOK_CONFIG, TAOS_BOOK_CONFIG]);
    const agent = factory({ uid: 3, params: { volume: "2" }, seed: 1, config });
    const level = (p: number) => ({ p, q: 1 });
    const book = (i: number) => ({ i, r: 0, b: [level(99.5)], a: [level(100.5)], e: [] });
    const state = {
      version: 1,
      timestamp: 0,
      books: [book(0), book(1)],
      accounts: { 1: { o: [42] } },
      notices: [],
    } as unknown as StateUpdate;
    const orders = new OrderBuilder(3);
    agent.respond(state, orders);
    const placed = orders.build().instructions.map((instruction) => [
      instruction.bookId,
      instruction.direction,
      instruction.price,
      instruction.volume,
    ]);
    deepEqual(placed, [[0, 0, 99.5, 2], [0, 1, 100.5, 2]]);
  });
});
