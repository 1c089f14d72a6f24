/**
 * The GenTRX training pool as the validator runs it (`--gentrx`): every
 * market step becomes a tick for the data pipeline; every `roundSteps`
 * steps a round opens for the participating UIDs, and it is scored once all
 * gradients are in or its deadline passes. On the local network the round
 * is driven by steps (τaos: every 25 blocks) and the demo trainers — demo
 * miners' UIDs training in a worker (demo_trainer_worker.ts) on the CPU
 * reference — upload to the validator's own bucket (on a real network each
 * miner uses its own, committed on chain, taos.md §6.6). Scoring runs on
 * the validator's thread.
 *
 * The pool's EMAs are the training pool's input to the weights
 * (`poolInput`, the shape `engine/scoring/pools.ts` takes).
 *
 * @module
 */
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import type { DataKeyScope } from "@/engine/gentrx/store/data_keys.ts";
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import type { PoolInput } from "@/engine/scoring/pools.ts";
import type { Engine, StepOutput } from "@/engine/simulator.ts";
import type { GenTrxSettings } from "@/server/gentrx/gentrx_config.ts";
import { GradientServer } from "@/server/gentrx/gradient_server.ts";
import { gentrxApp } from "@/server/gentrx/http_api.ts";
import { marketTick } from "@/server/gentrx/market_tick.ts";
import { TrainingData } from "@/server/gentrx/training_data.ts";
import { openGenTrxStore } from "@/server/gentrx/gentrx_store.ts";
import type { DemoTrainerJob, DemoTrainerReply } from "@/server/gentrx/demo_trainer_worker.ts";

/** The local network's scope (τaos: mainnet or testnet). */
const LOCAL_SCOPE: DataKeyScope = { network: "local", source: "simulation" };
/** Batches the tiny model trains and is scored on: short sequences, CPU-sized. */
const BATCH = { seqLen: 16, batchSize: 4 };
/** Demo trainers' optimiser steps per round, and a learning rate that shows in that many. */
const DEMO_STEPS = 6;
const DEMO_ADAMW = { lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
/** Steps between polls of an open round. */
const POLL_EVERY_STEPS = 10;
/** The share of a round's wall time miners get to upload (τaos: 240 s of a 300 s round). */
const DEADLINE_FRACTION = 0.8;

export interface GenTrxPoolOptions {
  settings: GenTrxSettings;
  kv: Deno.Kv;
  validatorUid: number;
  stepMs: number;
  /** UIDs of the connected miners, sorted; the first `demoTrainers` train. */
  connectedUids: () => number[];
  log: (line: string) => void;
}

export class GenTrxPool {
  readonly server: GradientServer;
  readonly data: TrainingData;
  readonly store: ObjectStore;
  readonly #options: GenTrxPoolOptions;
  /** Trains the demo trainers' assignments off this thread. */
  #worker: Worker | null = null;
  #queue: Promise<void> = Promise.resolve();
  #step = 0;
  #openRound: number | null = null;
  #emas = new Map<number, number>();
  #participation = 0;
  #stopped = false;

  private constructor(
    options: GenTrxPoolOptions,
    server: GradientServer,
    data: TrainingData,
    store: ObjectStore,
  ) {
    this.#options = options;
    this.server = server;
    this.data = data;
    this.store = store;
  }

  static async open(options: GenTrxPoolOptions): Promise<GenTrxPool> {
    const store = openGenTrxStore(options.settings.store);
    const data = new TrainingData({
      store,
      scope: LOCAL_SCOPE,
      validatorUid: options.validatorUid,
      rowsPerPage: options.settings.rowsPerPage,
    });
    const server = await GradientServer.open({
      kv: options.kv,
      store,
      data,
      scope: LOCAL_SCOPE,
      validatorUid: options.validatorUid,
      modelConfig: TINY_GENTRX_CONFIG,
      modelSeed: 1,
      roundMs: Math.round(options.settings.roundSteps * options.stepMs * DEADLINE_FRACTION),
      ...BATCH,
      log: options.log,
    });
    const pool = new GenTrxPool(options, server, data, store);
    // A round left open by a restart carries on.
    const latest = await server.rounds.latestRound();
    if (latest !== null && !latest.scored) pool.#openRound = latest.round;
    pool.#emas = await server.trainingEmas();
    options.log(
      `GenTRX pool on ${store.description}: model v${server.modelVersion}, a round every ${options.settings.roundSteps} steps`,
    );
    return pool;
  }

  /** The /gentrx HTTP surface (mount with `app.route("/gentrx", pool.app())`). */
  app() {
    return gentrxApp({
      server: this.server,
      data: this.data,
      apiKey: this.#options.settings.apiKey,
    });
  }

  /** Market.onStep listener: queues the tick and drives the rounds. */
  readonly onStep = (output: StepOutput, engine: Engine, simulationId: string): void => {
    if (this.#stopped) return;
    const tick = marketTick(simulationId, engine, output);
    const step = ++this.#step;
    this.#enqueue(async () => {
      if (await this.data.ingest(tick) === "restarted" && this.#openRound !== null) {
        await this.server.abandonRound(this.#openRound, "the simulation ended");
        this.#openRound = null;
      }
      if (step % POLL_EVERY_STEPS === 0 && this.#openRound !== null) await this.#poll();
      if (step % this.#options.settings.roundSteps === 0 && this.#openRound === null) {
        await this.#open(step / this.#options.settings.roundSteps);
      }
    });
  };

  /** The training pool's scores by UID for the weights (undefined before any round). */
  poolInput(uidCount: number): PoolInput | undefined {
    if (this.#emas.size === 0) return undefined;
    const scores = new Array<number>(uidCount).fill(0);
    for (const [uid, ema] of this.#emas) if (uid < uidCount) scores[uid] = ema;
    return { scores, participation: this.#participation };
  }

  /** Resolves when the ticks queued so far are ingested and their round work done. */
  async settled(): Promise<void> {
    await this.#queue;
  }

  /** Waits for queued work; no more ticks are taken. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#queue;
    this.#worker?.terminate();
    this.#worker = null;
  }

  #trainer(): Worker {
    if (this.#worker === null) {
      this.#worker = new Worker(new URL("./demo_trainer_worker.ts", import.meta.url), {
        type: "module",
      });
      this.#worker.onmessage = (event: MessageEvent<DemoTrainerReply>) => {
        const reply = event.data;
        if (!reply.ok) {
          this.#options.log(
            `GenTRX demo trainer ${reply.uid}, round ${reply.round}: ${reply.message}`,
          );
        }
      };
    }
    return this.#worker;
  }

  #enqueue(work: () => Promise<void>): void {
    this.#queue = this.#queue.then(work).catch((error) =>
      this.#options.log(`GenTRX: ${(error as Error).message}`)
    );
  }

  async #open(roundIndex: number): Promise<void> {
    const trainers = this.#options.connectedUids().slice(0, this.#options.settings.demoTrainers);
    if (trainers.length === 0) return;
    const round = Math.max(roundIndex, ((await this.server.rounds.latestRound())?.round ?? 0) + 1);
    let assignments;
    try {
      assignments = await this.server.openRound(round, trainers);
    } catch (error) {
      this.#options.log(`GenTRX round ${round} not opened: ${(error as Error).message}`);
      return;
    }
    this.#openRound = round;
    for (const assignment of assignments) {
      await this.server.delivered(round, assignment.uid);
      const job: DemoTrainerJob = {
        assignment,
        store: this.#options.settings.store,
        scope: LOCAL_SCOPE,
        aggregatorUid: this.#options.validatorUid,
        steps: DEMO_STEPS,
        adamw: DEMO_ADAMW,
        ...BATCH,
      };
      this.#trainer().postMessage(job);
    }
  }

  async #poll(): Promise<void> {
    const round = this.#openRound!;
    const reply = await this.server.poll(round);
    if (reply === null) return;
    this.#openRound = null;
    this.#emas = await this.server.trainingEmas();
    this.#participation = reply.n_scored === 0 ? 0 : reply.n_accepted / reply.n_scored;
  }
}
