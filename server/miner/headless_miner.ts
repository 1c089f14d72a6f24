/**
 * A headless miner: an Agent connected to a validator's gateway, answering
 * every state update with its signed response, reconnecting with backoff
 * when the connection drops. The same agent code runs in a browser tab.
 * With `gentrx` it also opts in to the training pool and trains each
 * assignment in a worker (gentrx_trainer.ts), uploading to its own bucket;
 * on subtensor its bucket's read key is committed on chain beforehand
 * (bucket_commitment.ts).
 *
 * @module
 */
import { encode } from "@msgpack/msgpack";
import type { KeyringPair } from "@polkadot/keyring/types";
import { stringToU8a } from "@polkadot/util";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { AgentRunner } from "@/engine/agent/agent_runner.ts";
import { MinerClient } from "@/engine/gateway/miner_client.ts";
import { decodeStateUpdate } from "@/engine/protocol/state_update.ts";
import { answerForecasts } from "@/engine/forecast/forecast_responder.ts";
import { FORECAST_ONLY_CONFIG } from "@/engine/forecast/forecast_request.ts";
import { answerGenTrx } from "@/engine/gentrx/gentrx_responder.ts";
import type { GenTrxReceiptFrame } from "@/engine/gateway/frames.ts";
import {
  type BucketLocation,
  formatBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import { createGenTrxTrainer, type GenTrxTrainerOptions } from "@/server/miner/gentrx_trainer.ts";

/** A miner's part in the GenTRX training pool. */
export interface HeadlessGenTrxOptions extends Omit<GenTrxTrainerOptions, "log"> {
  /**
   * The read key published as the chain commitment; default the bucket
   * itself (its credentials should then be read-only ones).
   */
  readKey?: BucketLocation;
  /**
   * How the read key becomes the hotkey's chain commitment: "session"
   * (default) sends it as `{ gentrx: "commit" }` for the validator to store
   * (the local network); "chain" means the miner committed it on subtensor
   * itself (bucket_commitment.ts), so it only joins.
   */
  commitVia?: "session" | "chain";
  onReceipt?: (receipt: GenTrxReceiptFrame) => void;
}

export interface HeadlessMinerOptions {
  /** ws://host:port/api/miner/ws */
  url: string;
  hotkey: KeyringPair;
  agent: AgentFactory;
  params?: Record<string, string>;
  seed?: number;
  log?: (line: string) => void;
  /** Longest wait between reconnect attempts; default 30 s. */
  maxBackoffMs?: number;
  /** Opt in to GenTRX training with this bucket. */
  gentrx?: HeadlessGenTrxOptions;
}

export interface HeadlessMiner {
  /** Resolves once the first session is open. */
  ready: Promise<MinerClient>;
  /** States answered so far. */
  readonly responses: number;
  stop(): void;
}

const FIRST_BACKOFF_MS = 500;

export function startHeadlessMiner(options: HeadlessMinerOptions): HeadlessMiner {
  const log = options.log ?? console.log;
  let stopped = false;
  let responses = 0;
  let client: MinerClient | null = null;
  const { promise: ready, resolve: resolveReady } = Promise.withResolvers<MinerClient>();
  const trainer = options.gentrx && createGenTrxTrainer({ ...options.gentrx, log });
  /** The read key is published once per process: on the first session, unless already on chain. */
  let committed = options.gentrx?.commitVia === "chain";

  const connectOnce = async (runner: AgentRunner | null): Promise<MinerClient> => {
    const { promise: closed, resolve: onClosed } = Promise.withResolvers<void>();
    const connected = await MinerClient.connect({
      url: options.url,
      hotkey: options.hotkey.address,
      signGrant: (message) => Promise.resolve(options.hotkey.sign(stringToU8a(message))),
      onState: (step, body) => {
        runner ??= new AgentRunner(options.agent, {
          uid: connected.uid,
          params: options.params,
          seed: options.seed,
        });
        try {
          const response = runner.handle(decodeStateUpdate(body));
          // The step ties the answer to its state; a late answer is not applied to a newer one.
          connected.send(encode({ ...response, step })).then(
            () => responses++,
            (error) => log(`Response to step ${step} refused: ${error.message}`),
          );
        } catch (error) {
          log(`Agent failed on step ${step}: ${(error as Error).message}`);
        }
      },
      onClose: () => onClosed(),
    });
    // An agent with a forecast hook also answers the forecast pool (issue 10).
    const forecaster = options.agent({
      uid: connected.uid,
      params: options.params ?? {},
      seed: options.seed ?? connected.uid,
      config: FORECAST_ONLY_CONFIG,
    });
    if (forecaster.forecast) answerForecasts(connected, forecaster, { log });
    if (trainer && options.gentrx) {
      answerGenTrx(connected, {
        train: trainer.train,
        commitment: committed
          ? undefined
          : formatBucketLocation(options.gentrx.readKey ?? options.gentrx.bucket),
        allowFolder: true,
        onReceipt: options.gentrx.onReceipt,
        log,
      });
      committed = true;
    }
    closed.then(() => {
      if (!stopped) reconnect(runner);
    });
    return connected;
  };

  const reconnect = async (runner: AgentRunner | null) => {
    for (
      let backoff = FIRST_BACKOFF_MS;
      !stopped;
      backoff = Math.min(backoff * 2, options.maxBackoffMs ?? 30_000)
    ) {
      try {
        client = await connectOnce(runner);
        log(`Mining as uid ${client.uid} (${client.hotkey})`);
        resolveReady(client);
        return;
      } catch (error) {
        log(
          `Cannot connect to ${options.url}: ${
            (error as Error).message
          }; retrying in ${backoff} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, backoff));
      }
    }
  };
  reconnect(null);

  return {
    ready,
    get responses() {
      return responses;
    },
    stop() {
      stopped = true;
      client?.close();
      trainer?.close();
    },
  };
}
