import { equal, ok } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import type {
  GenTrxAssignFrame,
  GenTrxReceiptFrame,
  ServerFrame,
} from "@/engine/gateway/frames.ts";
import { formatBucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import { runMinerWork } from "@/engine/gentrx/store/miner_work.ts";
import { LocalChain } from "@/server/chain/local_chain.ts";
import type { FrameKey } from "@/server/gateway/frame_verifier.ts";
import type { Session } from "@/server/gateway/session_registry.ts";
import { type GenTrxGateway, GenTrxPool } from "@/server/gentrx/gentrx_pool.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";

const SMALL = { init: { count: 100 }, stylized: { count: 200 }, noise: { count: 200 } };

/** The gateway as the pool sees it: sessions, frames sent to them, bodies from them. */
class FakeGateway implements GenTrxGateway {
  sessions: Session[] = [];
  readonly sent: { session: Session; frame: ServerFrame }[] = [];
  readonly #listeners = new Set<(session: Session, body: Uint8Array) => void>();

  publish(frameFor: (session: Session) => ServerFrame | null): void {
    for (const session of this.sessions) {
      const frame = frameFor(session);
      if (frame !== null) this.sent.push({ session, frame });
    }
  }

  onResponse(listener: (session: Session, body: Uint8Array) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  respond(session: Session, body: unknown): void {
    for (const listener of this.#listeners) listener(session, encode(body));
  }

  framesTo<T extends ServerFrame["t"]>(uid: number, t: T): Extract<ServerFrame, { t: T }>[] {
    return this.sent.filter((s) => s.session.uid === uid && s.frame.t === t).map((s) =>
      s.frame as Extract<ServerFrame, { t: T }>
    );
  }
}

Deno.test("GenTrxPool: joined miners with a committed bucket get assignments over the session, an announced upload is scored, a silent miner is MISSED, malformed bodies get named refusals", async () => {
  const root = await Deno.makeTempDir({ prefix: "mf_gentrx_pool_" });
  const kv = await Deno.openKv(":memory:");
  const background = await openBackgroundMarket({ books: 4, seed: 4, config: SMALL });
  const engine = background.engine;
  const gateway = new FakeGateway();
  await registerHotkey(kv, "5Validator");
  const session = async (hotkey: string): Promise<Session> => ({
    hotkey,
    uid: await registerHotkey(kv, hotkey),
    publicKey: null as unknown as FrameKey,
    expiresAt: Infinity,
    lastSequence: 0,
  });
  const trainer = await session("5Trainer");
  const silent = await session("5Silent");
  const bystander = await session("5Bystander");
  const uncommitted = await session("5Uncommitted");
  gateway.sessions = [trainer, silent, bystander, uncommitted];
  let clockMs = Date.now();
  const lines: string[] = [];
  const pool = await GenTrxPool.open({
    settings: {
      roundSteps: 20,
      demoTrainers: 0,
      rowsPerPage: 200,
      store: { kind: "folder", path: `${root}/objects` },
      apiKey: undefined,
    },
    kv,
    validatorUid: 0,
    stepMs: 3000,
    gateway,
    chain: new LocalChain(kv),
    now: () => clockMs,
    log: (line) => lines.push(line),
  });
  const step = async () => {
    pool.onStep(engine.step(engine.nowNs + 1_000_000_000), engine, "sim-a");
    await pool.settled();
  };
  try {
    const trainerBucket = `${root}/trainer_bucket`;
    gateway.respond(trainer, {
      gentrx: "commit",
      commitment: formatBucketLocation({ kind: "folder", path: trainerBucket }),
    });
    gateway.respond(silent, {
      gentrx: "commit",
      commitment: formatBucketLocation({ kind: "folder", path: `${root}/silent_bucket` }),
    });
    gateway.respond(bystander, { gentrx: "commit", commitment: "ftp://x" });
    for (const miner of [trainer, silent, uncommitted]) gateway.respond(miner, { gentrx: "join" });
    gateway.respond(trainer, { gentrx: "dance" });
    await pool.settled();
    const receipts = (uid: number) => gateway.framesTo(uid, "gentrx_receipt");
    equal(
      receipts(trainer.uid).map((r) => `${r.kind}:${r.ok}`).join(),
      "commit:true,join:true,uploaded:false",
    );
    equal(
      receipts(trainer.uid)[2].message,
      'Invalid gentrx: must be "join", "commit" or "uploaded"',
    );
    ok(receipts(bystander.uid)[0].message.startsWith("Invalid gentrx.commitment:"));
    equal(pool.joinedUids.join(), [trainer.uid, silent.uid, uncommitted.uid].join());

    let assignment: GenTrxAssignFrame | undefined;
    for (let i = 0; i < 400 && assignment === undefined; i++) {
      await step();
      assignment = gateway.framesTo(trainer.uid, "gentrx_assign")[0];
    }
    ok(assignment !== undefined, `an assignment was sent: ${lines.join(" | ")}`);
    const round = assignment.round;
    equal(gateway.framesTo(silent.uid, "gentrx_assign").length, 1);
    equal(gateway.framesTo(bystander.uid, "gentrx_assign").length, 0); // never joined
    equal(gateway.framesTo(uncommitted.uid, "gentrx_assign").length, 0); // no bucket
    ok(lines.some((line) => line.includes(`uid ${uncommitted.uid} left out: `)));
    equal((await pool.server.rounds.assignment(round, trainer.uid))?.state, "DELIVERED");
    ok(assignment.data.startsWith("file:/"));

    // The trainer trains as a miner does and announces its upload.
    const work = await runMinerWork(assignment, {
      dataStore: new LocalFolderStore(`${root}/objects`),
      uploadStore: new LocalFolderStore(trainerBucket),
      scope: { network: assignment.network, source: assignment.source },
      aggregatorUid: assignment.aggregatorUid,
      steps: 4,
      seqLen: 16,
      batchSize: 4,
      adamw: { lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
      deadlineMs: assignment.deadlineMs,
    });
    gateway.respond(trainer, {
      gentrx: "uploaded",
      round,
      key: work.key,
      sizeBytes: work.uploadBytes,
    });
    await pool.settled();
    const last = receipts(trainer.uid).at(-1) as GenTrxReceiptFrame;
    equal(`${last.kind}:${last.round}:${last.ok}`, `uploaded:${round}:true`, last.message);
    equal((await pool.server.rounds.assignment(round, trainer.uid))?.state, "GRADIENT_IN");

    clockMs += 20 * 3000; // past the deadline
    let scored = null;
    for (let i = 0; i < 20 && scored === null; i++) {
      await step();
      scored = await pool.server.scores();
    }
    ok(scored !== null, `the round was scored: ${lines.join(" | ")}`);
    ok(scored.scores[trainer.uid].accepted, JSON.stringify(scored.scores));
    equal(scored.scores[silent.uid].reason, "no gradient by the deadline");
    equal((await pool.server.rounds.assignment(round, silent.uid))?.state, "MISSED");
    const input = pool.poolInput(8)!;
    ok(input.scores[trainer.uid] > 0);
    equal(input.scores[silent.uid], 0);

    // A new simulation wipes the pages and abandons an open round.
    let open = null;
    for (let i = 0; i < 200 && open === null; i++) {
      await step();
      const latest = await pool.server.rounds.latestRound();
      if (latest !== null && !latest.scored) open = latest.round;
    }
    ok(open !== null);
    pool.onStep(engine.step(engine.nowNs + 1_000_000_000), engine, "sim-b");
    await pool.settled();
    equal((await pool.server.rounds.round(open))?.scored, true);
    equal((await pool.data.pages()).length, 0);
  } finally {
    await pool.stop();
    engine.close();
    kv.close();
    await Deno.remove(root, { recursive: true });
  }
});
