/**
 * The WebAssembly backend on its own: what the module imports, how it is
 * refused when it is not marketforge.wasm, and a seeded fuzz of malformed
 * input — instructions with arbitrary field values, arbitrary book config
 * records and damaged checkpoint bytes — after which the engine's
 * invariants still hold and the instance still works. Ignored when
 * emscripten is not installed. Behaviour shared with the FFI backend is
 * covered by simulator_conformance_test.ts.
 */
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { BookConfig, Instruction } from "@/engine/book_records.ts";
import {
  EXCHANGE_BOOKS,
  exchangeStream,
  FUNDED_AGENTS,
  REFERENCE_BOOK,
} from "@/engine/simulator_conformance.ts";
import { WasmSimulator } from "@/engine/simulator_wasm.ts";
import { ensureWasmBuild } from "@/server/native_library.ts";

const wasmPath = await ensureWasmBuild(() => {});
const bytes = wasmPath === undefined ? undefined : await Deno.readFile(wasmPath);
const ignore = bytes === undefined;

const FUZZ_SEEDS = [11, 12, 13];
const FUZZ_BATCHES = 30;
const FUZZ_BATCH_SIZE = 200;
/** Values that sit on or past the engine's bounds (2^31 ticks/lots, 2^52 balances, 2^53 numbers). */
const EDGE_VALUES = [
  0,
  -1,
  1,
  255,
  256,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 52,
  2 ** 53,
  -(2 ** 53),
];
const INSTRUCTION_FIELDS = [
  "kind",
  "side",
  "timeInForce",
  "stp",
  "leverage",
  "bookId",
  "agentId",
  "clientOrderId",
  "maxSlippageBps",
  "delayNs",
  "price",
  "quantity",
  "orderId",
  "expiryNs",
];

function randomInts(seed: number): (from: number, to: number) => number {
  const generator = xoroshiro128plus(seed);
  return (from, to) => uniformInt(generator, from, to);
}

Deno.test({
  name: "the module imports only proc_exit and the memory-growth notification",
  ignore,
  fn: () => {
    const module = new WebAssembly.Module(bytes!);
    deepEqual(WebAssembly.Module.imports(module).map((entry) => `${entry.module}.${entry.name}`), [
      "env.emscripten_notify_memory_growth",
      "wasi_snapshot_preview1.proc_exit",
    ]);
  },
});

Deno.test("a module that is not marketforge.wasm is refused with what it lacks", async () => {
  // The smallest valid module: magic and version, no sections.
  const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  await rejects(() => WasmSimulator.instantiate(empty), /not marketforge\.wasm, missing memory/);
});

Deno.test({
  name: "malformed instructions are rejected on arrival and never break an invariant",
  ignore,
  fn: async () => {
    const simulator = await WasmSimulator.instantiate(bytes!);
    try {
      for (const seed of FUZZ_SEEDS) {
        const int = randomInts(seed);
        const engine = simulator.createEngine(EXCHANGE_BOOKS);
        for (let book = 0; book < EXCHANGE_BOOKS.length; book++) {
          for (const agent of FUNDED_AGENTS) engine.deposit(agent, book, 10 ** 9, 10 ** 13);
        }
        const valid = exchangeStream(seed, FUZZ_BATCHES, FUZZ_BATCH_SIZE);
        let rejected = 0;
        for (const [index, batch] of valid.entries()) {
          // Overwrite one to three fields of every other instruction with an arbitrary value.
          const fuzzed = batch.map((instruction, position) => {
            if (position % 2 === 1) return instruction;
            const damaged: Record<string, unknown> = { ...instruction };
            for (let i = int(1, 3); i > 0; i--) {
              const field = INSTRUCTION_FIELDS[int(0, INSTRUCTION_FIELDS.length - 1)];
              damaged[field] = field === "kind"
                ? ["limit", "market", "cancel", "closePosition", "bogus"][int(0, 4)]
                : EDGE_VALUES[int(0, EDGE_VALUES.length - 1)];
            }
            return damaged as unknown as Instruction;
          });
          engine.submit(fuzzed);
          const { notices } = engine.step((index + 1) * 1_000);
          rejected += notices.filter((notice) => notice.kind === "rejected").length;
          engine.checkInvariants();
        }
        ok(rejected > FUZZ_BATCHES * FUZZ_BATCH_SIZE / 4, `seed ${seed}: ${rejected} rejected`);
        engine.close();
      }
    } finally {
      simulator.close();
    }
  },
});

Deno.test({
  name: "arbitrary book configs are refused with a reason or accepted; the instance stays usable",
  ignore,
  fn: async () => {
    const simulator = await WasmSimulator.instantiate(bytes!);
    try {
      const int = randomInts(21);
      const edge = () => EDGE_VALUES[int(0, EDGE_VALUES.length - 1)];
      let refused = 0;
      for (let i = 0; i < 300; i++) {
        const config: BookConfig = {
          ...REFERENCE_BOOK,
          priceDecimals: int(0, 12),
          volumeDecimals: int(0, 12),
          minOrderLots: edge(),
          maxLeverage: int(0, 20_000),
          maxLoan: edge(),
          maintenanceMargin: edge(),
          fees: { type: "static", makerRate: edge(), takerRate: edge() },
        };
        try {
          simulator.createEngine([config]).close();
        } catch (error) {
          ok(String(error).startsWith("Error: Cannot create engine: book 0: "), String(error));
          refused++;
        }
      }
      ok(refused > 0 && refused < 300, `${refused} of 300 refused`);
      simulator.createEngine([REFERENCE_BOOK]).checkInvariants();
    } finally {
      simulator.close();
    }
  },
});

Deno.test({
  name: "damaged checkpoints are refused and the instance keeps working",
  ignore,
  fn: async () => {
    const simulator = await WasmSimulator.instantiate(bytes!);
    try {
      const engine = simulator.createEngine(EXCHANGE_BOOKS);
      for (const agent of FUNDED_AGENTS) engine.deposit(agent, 0, 10 ** 9, 10 ** 13);
      for (const [index, batch] of exchangeStream(5, 10, 100).entries()) {
        engine.submit(batch);
        engine.step((index + 1) * 1_000);
      }
      const checkpoint = engine.checkpoint();
      const int = randomInts(31);
      for (let i = 0; i < 200; i++) {
        const damaged = i % 2 === 0
          ? checkpoint.slice(0, int(0, checkpoint.byteLength - 1))
          : checkpoint.slice();
        if (i % 2 === 1) damaged[int(0, damaged.byteLength - 1)] ^= 1 << int(0, 7);
        throws(() => simulator.restore(damaged), /^Error: Cannot restore engine: /);
      }
      const random = Uint8Array.from({ length: 4_096 }, () => int(0, 255));
      throws(() => simulator.restore(random), /^Error: Cannot restore engine: /);
      const restored = simulator.restore(checkpoint);
      restored.checkInvariants();
      deepEqual(restored.checkpoint(), checkpoint);
    } finally {
      simulator.close();
    }
  },
});

Deno.test({
  name: "batches larger than linear memory grow it, and views follow the new buffer",
  ignore,
  fn: async () => {
    const simulator = await WasmSimulator.instantiate(bytes!);
    try {
      const engine = simulator.createEngine([REFERENCE_BOOK]);
      engine.deposit(1, 0, 10 ** 9, 10 ** 13);
      // 200 000 resting orders: 12.8 MB of instructions in, as many events and notices out.
      const orders = 200_000;
      const batch: Instruction[] = Array.from({ length: orders }, (_, i) => ({
        kind: "limit",
        agentId: 1,
        bookId: 0,
        side: 0,
        price: (1_000 + (i % 500)) * 10 ** 6,
        quantity: 2 * 10 ** 6,
      }));
      engine.submit(batch);
      const { events, notices } = engine.step(1);
      equal(events.length, orders);
      equal(notices.length, orders);
      const last = events[orders - 1];
      deepEqual(last.kind === "placed" && last.orderId, orders);
      equal(engine.depth(0, 500, 0).bids.length, 500);
      engine.checkInvariants();
    } finally {
      simulator.close();
    }
  },
});

Deno.test({
  name: "a closed simulator refuses every call",
  ignore,
  fn: async () => {
    const simulator = await WasmSimulator.instantiate(bytes!);
    const engine = simulator.createEngine([REFERENCE_BOOK]);
    simulator.close();
    throws(() => engine.step(1), { message: "Cannot use engine: it is closed" });
    throws(() => simulator.createEngine([REFERENCE_BOOK]), {
      message: "Cannot use the WebAssembly simulator: it is closed",
    });
  },
});
