/**
 * Generated orders replayed through the real exchange, on both backends:
 * the book each order leaves feeds the next generation step, the engine's
 * invariants hold, and a seed fixes the generated market's L3 log.
 */
import { deepEqual, equal } from "node:assert/strict";
import type { Depth } from "@/engine/book_records.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { ExchangeReplay } from "@/engine/gentrx/exchange_replay.ts";
import { generateOrders, type GenerationContext } from "@/engine/gentrx/generate.ts";
import { fieldLogits } from "@/engine/gentrx/generate_logits.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { type OrderFlowRow, OrderType } from "@/engine/gentrx/order_flow.ts";
import { Tokenizer } from "@/engine/gentrx/tokenizer.ts";
import type { Simulator } from "@/engine/simulator.ts";
import { FfiSimulator } from "@/engine/simulator_ffi.ts";
import { WasmSimulator } from "@/engine/simulator_wasm.ts";
import { ensureNativeBuild, ensureWasmBuild } from "@/server/native_library.ts";

const { libraryPath } = await ensureNativeBuild(() => {});
const wasmPath = await ensureWasmBuild(() => {});

const BOOK: Depth = {
  bids: [{ priceTicks: 29_999, quantityLots: 50_000 }, {
    priceTicks: 29_998,
    quantityLots: 50_000,
  }],
  asks: [{ priceTicks: 30_001, quantityLots: 50_000 }, {
    priceTicks: 30_002,
    quantityLots: 50_000,
  }],
};
const CONTEXT: GenerationContext = {
  initialBook: BOOK,
  rows: Array.from({ length: 8 }, (_, i): OrderFlowRow => ({
    type: i % 2 === 0 ? OrderType.Bid : OrderType.Ask,
    timestampNs: 1e9 + i * 1e6,
    priceTicks: i % 2 === 0 ? 29_999 : 30_001,
    quantityLots: 10_000,
    bookAfter: BOOK,
  })),
};
const model = GenTrxModel.create(TINY_GENTRX_CONFIG, 3);
const tokenizer = new Tokenizer(TINY_GENTRX_CONFIG.tokenizer);

async function generatedMarket(simulator: Simulator, seed: number) {
  const replay = new ExchangeReplay(simulator, BOOK);
  try {
    const rows = await generateOrders((batch) => fieldLogits(model, batch), tokenizer, CONTEXT, {
      steps: 40,
      seed,
      temperature: 1,
      contextLength: TINY_GENTRX_CONFIG.contextLength,
      bookAfter: replay.bookAfter,
    });
    replay.checkInvariants();
    return { rows, events: [...replay.events] };
  } finally {
    replay.close();
  }
}

Deno.test("generated orders trade through the native exchange and shape the next order's book", async () => {
  const simulator = new FfiSimulator(libraryPath);
  try {
    const { rows, events } = await generatedMarket(simulator, 7);
    equal(rows.length, 40);
    const generated = events.filter((event) =>
      (event.kind === "trade" ? event.takerAgentId : event.agentId) === -1_000
    );
    equal(
      generated.length > 10,
      true,
      `only ${generated.length} generated events reached the book`,
    );
    // Each generated row carries the book the exchange left, never a crossed one.
    for (const row of rows) {
      const bid = row.bookAfter.bids[0]?.priceTicks ?? -Infinity;
      const ask = row.bookAfter.asks[0]?.priceTicks ?? Infinity;
      equal(bid < ask, true);
    }
    deepEqual((await generatedMarket(simulator, 7)).events, events);
  } finally {
    simulator.close();
  }
});

Deno.test({
  name: "the WebAssembly exchange replays the same generated market",
  ignore: wasmPath === undefined,
  async fn() {
    const ffi = new FfiSimulator(libraryPath);
    const wasm = await WasmSimulator.instantiate(await Deno.readFile(wasmPath!));
    try {
      deepEqual((await generatedMarket(wasm, 7)).events, (await generatedMarket(ffi, 7)).events);
    } finally {
      ffi.close();
      wasm.close();
    }
  },
});
