/**
 * The background market in WebAssembly against the native one: the same
 * seed and config give a byte-identical L3 log and identical remote-agent
 * accounts and notices, which is what lets the browser's offline sandbox
 * stand in for the validator's market.
 */
import { deepEqual, ok } from "node:assert/strict";
import { Side } from "@/engine/book_records.ts";
import { resolveSimConfig } from "@/engine/sim/sim_config.ts";
import type { Simulation } from "@/engine/sim/simulation.ts";
import { WasmBackground } from "@/engine/sim/wasm_simulation.ts";
import { ensureWasmBuild } from "@/server/native_library.ts";
import { NativeSimulation, simParams } from "@/server/sim/native_simulation.ts";

const wasmPath = await ensureWasmBuild(() => {});

/** Two books with every population, small enough for a unit test. */
async function smallMarket(seed: number): Promise<Float64Array> {
  return resolveSimConfig(await simParams(), {
    simulation: { books: 2, books_per_block: 1, duration_s: 3600, remote_agents: 1, seed },
    init: { count: 20 },
    stylized: { count: 40 },
    hft: { count: 2 },
    noise: { count: 40 },
  }).values;
}

/** Steps `seconds`, with remote agent 0 crossing the spread each second; returns what it saw. */
function trade<Handle>(simulation: Simulation<Handle>, seconds: number) {
  const engine = simulation.asEngine();
  const log: Uint8Array[] = [simulation.readEvents().slice()];
  const notices: Uint8Array[] = [];
  for (let second = 0; second < seconds; second++) {
    engine.submit(
      Array.from({ length: simulation.bookCount }, (_, bookId) => ({
        kind: "market" as const,
        agentId: 0,
        bookId,
        side: second % 2 === 0 ? Side.Buy : Side.Sell,
        quantity: 100_000_000,
        delayNs: 1000,
      })),
    );
    simulation.step();
    log.push(simulation.readEvents().slice());
    notices.push(simulation.readNotices().slice());
  }
  return { log, notices, accounts: engine.accounts(), counters: simulation.counters() };
}

Deno.test({
  name: "the WebAssembly module carries the same settings table as the native library",
  ignore: wasmPath === undefined,
  async fn() {
    const background = await WasmBackground.instantiate(await Deno.readFile(wasmPath!));
    deepEqual(background.params(), await simParams());
  },
});

Deno.test({
  name: "the WebAssembly background market logs byte-identically to the native one",
  ignore: wasmPath === undefined,
  async fn() {
    const background = await WasmBackground.instantiate(await Deno.readFile(wasmPath!));
    for (const seed of [7, 8]) {
      const values = await smallMarket(seed);
      const native = await NativeSimulation.create(values);
      const wasm = background.create(values);
      try {
        const expected = trade(native, 20);
        const actual = trade(wasm, 20);
        ok(expected.log.reduce((sum, chunk) => sum + chunk.length, 0) > 80 * 500);
        ok(expected.counters.fills > 0);
        ok(expected.notices.some((chunk) => chunk.length > 0), "agent 0 got notices");
        ok(expected.accounts.some((account) => account.agentId === 0), "agent 0 has accounts");
        deepEqual(actual, expected);
        deepEqual(wasm.mids(), native.mids());
        deepEqual(wasm.checkpoint(), native.checkpoint());
      } finally {
        native.close();
        wasm.close();
      }
    }
  },
});
