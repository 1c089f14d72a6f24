/**
 * CPU training throughput of GenTRX: positions (tokens) trained per second by
 * one forward pass, backward pass and AdamW step of the plain-TS model, for
 * the tiny CI config and τaos's 12M-parameter config (taos.md §6.1). The
 * WebGPU trainer is compared against these figures.
 *
 * Prints `{"bench":"gentrx.train_tokens_per_s_cpu","value":N,"unit":"tokens/s","config":"tiny"}`
 * and the same for `"config":"default"` (τaos's size).
 *
 * @module
 */
import { type Figure, median, report } from "@/engine/bench_report.ts";
import { randomBatch } from "@/engine/gentrx/_random_batch.ts";
import {
  type GenTrxConfig,
  TAOS_GENTRX_CONFIG,
  TINY_GENTRX_CONFIG,
} from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { Trainer } from "@/engine/gentrx/trainer.ts";

interface BenchCase {
  name: string;
  config: GenTrxConfig;
  batch: number;
  seqLen: number;
  /** Timed steps after one warm-up step; few for τaos's config so the file runs in about a minute. */
  steps: number;
}

/** τaos's CPU miners train batch 4 (taos.md §6.3); one short sequence keeps the 12M-parameter case quick. */
const CASES: BenchCase[] = [
  { name: "tiny", config: TINY_GENTRX_CONFIG, batch: 4, seqLen: 32, steps: 7 },
  { name: "default", config: TAOS_GENTRX_CONFIG, batch: 1, seqLen: 64, steps: 3 },
];

for (const { name, config, batch, seqLen, steps } of CASES) {
  const trainer = new Trainer(GenTrxModel.create(config, 1));
  const data = randomBatch(config, batch, seqLen, 2);
  trainer.step(data);
  const rates: number[] = [];
  for (let i = 0; i < steps; i++) {
    const started = performance.now();
    trainer.step(data);
    rates.push((batch * seqLen) / ((performance.now() - started) / 1000));
  }
  const figure: Figure & { config: string } = {
    bench: "gentrx.train_tokens_per_s_cpu",
    value: Math.round(median(rates)),
    unit: "tokens/s",
    config: name,
  };
  report(figure);
}
