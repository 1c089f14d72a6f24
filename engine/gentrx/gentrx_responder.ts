/**
 * The miner side of the GenTRX training pool on the session, for a
 * headless miner or a browser tab (as engine/forecast/forecast_responder.ts
 * is for forecasts): publishes the bucket's read key (once per process,
 * `{ gentrx: "commit" }`), opts in (`{ gentrx: "join" }`), validates each
 * `gentrx_assign`, hands it to a trainer (a worker: the training never runs
 * on the socket's thread) and answers `{ gentrx: "uploaded", … }`. Work
 * that cannot finish before the deadline is dropped and nothing is sent.
 *
 * @module
 */
import { encode } from "@msgpack/msgpack";
import type {
  GenTrxAssignFrame,
  GenTrxReceiptFrame,
  ServerFrame,
} from "@/engine/gateway/frames.ts";
import { type GenTrxMinerBody, readGenTrxAssign } from "@/engine/gentrx/gentrx_frames.ts";

/** What the responder needs of engine/gateway/miner_client.ts's MinerClient. */
export interface GenTrxConnection {
  readonly uid: number;
  send(body: Uint8Array): Promise<number>;
  onFrame(listener: (frame: ServerFrame) => void): () => void;
}

/** Trains one assignment and uploads the delta; rejects when it could not (the deadline among others). */
export type GenTrxTrain = (
  assignment: GenTrxAssignFrame,
) => Promise<{ key: string; sizeBytes: number }>;

export interface GenTrxResponderOptions {
  train: GenTrxTrain;
  /** The read key to publish first, if not yet published; see bucket_location.ts. */
  commitment?: string;
  /** `file:` data locations are readable (a miner on the validator's machine). */
  allowFolder: boolean;
  onReceipt?: (receipt: GenTrxReceiptFrame) => void;
  log?: (line: string) => void;
  now?: () => number;
}

/** Opts in on `connection` and answers its assignments; returns the stop function. */
export function answerGenTrx(
  connection: GenTrxConnection,
  options: GenTrxResponderOptions,
): () => void {
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const send = (body: GenTrxMinerBody) =>
    connection.send(encode(body)).catch((error) =>
      log(`GenTRX ${body.gentrx} refused: ${error.message}`)
    );
  const working = new Set<number>();
  const stop = connection.onFrame((frame) => {
    if (frame.t === "gentrx_receipt") {
      if (!frame.ok) log(`GenTRX ${frame.kind} refused by the validator: ${frame.message}`);
      options.onReceipt?.(frame);
      return;
    }
    if (frame.t !== "gentrx_assign") return;
    let assignment: GenTrxAssignFrame;
    try {
      assignment = readGenTrxAssign(frame, options.allowFolder);
      if (assignment.uid !== connection.uid) {
        throw new RangeError(
          `Assignment for uid ${assignment.uid}, this miner is uid ${connection.uid}`,
        );
      }
    } catch (error) {
      log(`Refused gentrx_assign: ${(error as Error).message}`);
      return;
    }
    const { round, deadlineMs } = assignment;
    if (working.has(round)) return; // redelivered while training it
    if (now() >= deadlineMs) {
      log(`GenTRX round ${round} skipped: its deadline has passed`);
      return;
    }
    working.add(round);
    options.train(assignment).then(
      ({ key, sizeBytes }) => send({ gentrx: "uploaded", round, key, sizeBytes }),
      (error) => log(`GenTRX round ${round} not uploaded: ${(error as Error).message}`),
    ).finally(() => working.delete(round));
  });
  (async () => {
    if (options.commitment !== undefined) {
      await send({ gentrx: "commit", commitment: options.commitment });
    }
    await send({ gentrx: "join" });
  })();
  return stop;
}
