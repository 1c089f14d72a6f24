/**
 * Generation throughput of an exported GenTRX model in onnxruntime-web (wasm
 * backend, one thread, as a page without cross-origin isolation runs it):
 * orders generated per second by `generateOrders` over a full context window,
 * for the tiny CI config, with the CPU reference's rate on the same inputs
 * as the ratio's base.
 *
 * Prints `{"bench":"gentrx.onnx_generate_orders_per_s","value":N,"unit":"orders/s","ratio":R,"ratio_to":"ts_reference","config":"tiny"}`.
 *
 * @module
 */
import * as ort from "onnxruntime-web";
import { type Figure, median, report } from "@/engine/bench_report.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { generateOrders, type NextOrderLogits } from "@/engine/gentrx/generate.ts";
import { fieldLogits } from "@/engine/gentrx/generate_logits.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { exportOnnx } from "@/engine/gentrx/onnx/export_model.ts";
import { OnnxFieldLogits } from "@/engine/gentrx/onnx/onnx_logits.ts";
import { Tokenizer } from "@/engine/gentrx/tokenizer.ts";
import { syntheticOrderFlow } from "@/workers/train/synthetic_order_flow.ts";

/** Orders per timed run, and timed runs after one warm-up run. */
const ORDERS = 32;
const REPEATS = 5;
/** τaos's initial price, 300.00 at 2 decimals. */
const START_MID_TICKS = 30_000;

ort.env.wasm.numThreads = 1;
const config = TINY_GENTRX_CONFIG;
const model = GenTrxModel.create(config, 1);
const tokenizer = new Tokenizer(config.tokenizer);
const flow = syntheticOrderFlow(config.contextLength + 1, 2, START_MID_TICKS);
const context = { initialBook: flow.rows[0].bookAfter, rows: flow.rows.slice(1) };
const options = { steps: ORDERS, seed: 3, temperature: 1, contextLength: config.contextLength };

async function ordersPerS(logitsOf: NextOrderLogits): Promise<number> {
  await generateOrders(logitsOf, tokenizer, context, options);
  const rates: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await generateOrders(logitsOf, tokenizer, context, options);
    rates.push(ORDERS / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

const session = await OnnxFieldLogits.create(ort, exportOnnx(model));
const onnxRate = await ordersPerS((batch) => session.logits(batch));
await session.release();
const cpuRate = await ordersPerS((batch) => fieldLogits(model, batch));
const figure: Figure & { config: string } = {
  bench: "gentrx.onnx_generate_orders_per_s",
  value: Math.round(onnxRate),
  unit: "orders/s",
  ratio: Number((onnxRate / cpuRate).toFixed(2)),
  ratio_to: "ts_reference",
  config: "tiny",
};
report(figure);
