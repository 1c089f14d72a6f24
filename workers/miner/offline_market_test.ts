/**
 * The offline market on the real WebAssembly build of τaos's background
 * population: an example agent trades against it, the exchange's invariants
 * hold, and a seed repeats a run byte for byte.
 */
import { deepEqual, equal, throws } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { AgentRunner } from "@/engine/agent/agent_runner.ts";
import { simulatedBookConfig } from "@/engine/sim/simulated_book_config.ts";
import { resolveSimConfig } from "@/engine/sim/sim_config.ts";
import { decodeStateUpdate } from "@/engine/protocol/state_update.ts";
import { WasmBackground } from "@/engine/sim/wasm_simulation.ts";
import { EXAMPLE_AGENT } from "@/routes/_example_agent.ts";
import { ensureWasmBuild } from "@/server/native_library.ts";
import { simulationConfig } from "@/server/validator_loop.ts";
import { compileAgent } from "@/workers/miner/agent_module.ts";
import { MinerTracker } from "@/workers/miner/miner_tracker.ts";
import { OfflineMarket } from "@/workers/miner/offline_market.ts";

const wasmPath = await ensureWasmBuild(() => {});
const ignore = wasmPath === undefined;
const UID = 0;

async function background() {
  return await WasmBackground.instantiate(await Deno.readFile(wasmPath!));
}

/** The book rules the validator announces for two default books. */
function liveConfig(market: WasmBackground) {
  const { settings } = resolveSimConfig(market.params(), {});
  const book = simulatedBookConfig(settings);
  return simulationConfig([book, book]);
}

async function play(seed: number, rounds: number, simConfig?: unknown) {
  const wasm = await background();
  const market = new OfflineMarket({
    background: wasm,
    bookCount: 2,
    simConfig,
    config: liveConfig(wasm),
    uid: UID,
    seed,
  });
  const runner = new AgentRunner(compileAgent(EXAMPLE_AGENT, { ...console, log: () => {} }), {
    uid: UID,
    params: { volume: "0.5" },
    seed,
  });
  const tracker = new MinerTracker(UID);
  const bodies: Uint8Array[] = [];
  let instructions = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const body = market.nextState();
      bodies.push(body);
      const state = decodeStateUpdate(body);
      tracker.observe(state);
      const outcome = market.answer(encode({ ...runner.handle(state), step: round + 1 }), 5);
      equal(outcome.inTime, true);
      instructions += outcome.instructions;
    }
    market.checkInvariants();
    return { snapshot: tracker.snapshot(), bodies, instructions };
  } finally {
    market.close();
  }
}

Deno.test({
  name: "an example agent quotes, fills and realises PnL in the offline WebAssembly market",
  ignore,
  async fn() {
    const { snapshot, bodies, instructions } = await play(7, 300);
    const first = decodeStateUpdate(bodies[0]);
    equal(first.notices[0].y, "ESS");
    equal(first.config?.book_count, 2);
    equal(first.books[0].b.length > 0 && first.books[0].a.length > 0, true);
    equal(instructions > 100, true, `only ${instructions} instructions`);
    equal(snapshot.fillCount > 10, true, `only ${snapshot.fillCount} fills`);
    equal(snapshot.fills[0].timestampNs >= snapshot.fills.at(-1)!.timestampNs, true);
    equal(snapshot.books.length, 2);
    equal(snapshot.books[0].startQuote > 0, true);
    equal(Number.isFinite(snapshot.realizedPnl), true);
    equal(snapshot.steps, 300);
  },
});

Deno.test({
  name: "the same seed replays the offline market byte for byte; another seed differs",
  ignore,
  async fn() {
    const a = await play(11, 60);
    const b = await play(11, 60);
    deepEqual(a.bodies, b.bodies);
    const c = await play(12, 60);
    equal(c.bodies.some((body, i) => body.length !== a.bodies[i].length), true);
  },
});

Deno.test({
  name: "the offline market takes the validator's simulation settings and names a bad one",
  ignore,
  async fn() {
    const base = await play(3, 20);
    const fewer = await play(3, 20, { stylized: { count: 10 } });
    equal(fewer.bodies.some((body, i) => body.length !== base.bodies[i].length), true);
    const wasm = await background();
    const config = liveConfig(wasm);
    throws(
      () =>
        new OfflineMarket({
          background: wasm,
          bookCount: 2,
          simConfig: { stylized: { count: -1 } },
          config,
          uid: UID,
          seed: 1,
        }),
      /stylized\.count: -1 is below the minimum/,
    );
  },
});

Deno.test({
  name: "refused instructions come back as EVAL notices in the next state",
  ignore,
  async fn() {
    const wasm = await background();
    const market = new OfflineMarket({
      background: wasm,
      bookCount: 2,
      config: liveConfig(wasm),
      uid: UID,
      seed: 1,
    });
    try {
      market.nextState();
      const outcome = market.answer(
        encode({ agent_id: UID, instructions: [{ type: "PLACE_ORDER_LIMIT", bookId: 9 }] }),
        1,
      );
      equal(outcome.refused, 1);
      const eval_ = decodeStateUpdate(market.nextState()).notices.find((n) => n.y === "EVAL");
      equal(eval_?.y, "EVAL");
      equal(market.answer(new Uint8Array([0xc1]), 1).refused, 1);
      equal(market.answer(encode({ agent_id: UID, instructions: [] }), 10_000).inTime, false);
    } finally {
      market.close();
    }
  },
});
