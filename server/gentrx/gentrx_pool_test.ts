import { equal, ok, rejects } from "node:assert/strict";
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
import {
  type GenTrxGateway,
  GenTrxPool,
  type GenTrxPoolOptions,
} from "@/server/gentrx/gentrx_pool.ts";
import { DEFAULT_ROUND_BLOCKS, type GenTrxSettings } from "@/server/gentrx/gentrx_config.ts";
import { assertToldToCommitOnChain } from "@/server/gentrx/_gentrx_pool_fixture.ts";
import { commitBucket } from "@/engine/chain/bucket_commitment.ts";
import { withDeadline } from "@/engine/deadline.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";
import { InMemorySubtensor } from "@/tests/subtensor_stand_in.ts";

const SMALL = { init: { count: 100 }, stylized: { count: 200 }, noise: { count: 200 } };
const VALIDATOR = "5Validator";

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

/** 20 steps a round on the local network, τaos's 25 blocks on subtensor; pages in `folder`. */
function poolSettings(folder: string): GenTrxSettings {
  return {
    roundSteps: 20,
    roundBlocks: DEFAULT_ROUND_BLOCKS,
    demoTrainers: 0,
    rowsPerPage: 200,
    store: { kind: "folder", path: folder },
    apiKey: undefined,
  };
}

/**
 * A pool over a 4-book background market on `chain`, 20 steps a round
 * where the chain has no blocks (τaos's 25 blocks where it has), 3 s a
 * step, a wall clock the test moves; `uidOf` finds a hotkey's UID on that
 * chain (the validator's, VALIDATOR, before the pool opens, as open_chain.ts
 * registers it on the local network).
 */
async function openTestPool(
  chain: (kv: Deno.Kv) => GenTrxPoolOptions["chain"],
  uidOf: (kv: Deno.Kv, hotkey: string) => Promise<number>,
  settings: Partial<GenTrxSettings> = {},
  options: Pick<GenTrxPoolOptions, "commitmentReadMs"> = {},
) {
  const root = await Deno.makeTempDir({ prefix: "mf_gentrx_pool_" });
  const kv = await Deno.openKv(":memory:");
  const background = await openBackgroundMarket({ books: 4, seed: 4, config: SMALL });
  const engine = background.engine;
  const gateway = new FakeGateway();
  const clock = { ms: Date.now() };
  const lines: string[] = [];
  await uidOf(kv, VALIDATOR);
  const pool = await GenTrxPool.open({
    settings: { ...poolSettings(`${root}/objects`), ...settings },
    kv,
    validatorHotkey: VALIDATOR,
    stepMs: 3000,
    gateway,
    chain: chain(kv),
    now: () => clock.ms,
    log: (line) => lines.push(line),
    ...options,
  });
  return {
    root,
    kv,
    gateway,
    clock,
    lines,
    pool,
    /** A session of `hotkey`, open on the gateway. */
    session: async (hotkey: string): Promise<Session> => {
      const session = {
        hotkey,
        uid: await uidOf(kv, hotkey),
        publicKey: null as unknown as FrameKey,
        expiresAt: Infinity,
        lastSequence: 0,
      };
      gateway.sessions.push(session);
      return session;
    },
    /** One market step, its tick ingested and its round work done. */
    step: async (simulationId = "sim-a") => {
      pool.onStep(engine.step(engine.nowNs + 1_000_000_000), engine, simulationId);
      await pool.settled();
    },
    close: async () => {
      await pool.stop();
      engine.close();
      kv.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("GenTrxPool: joined miners with a committed bucket get assignments over the session, an announced upload is scored, a silent miner is MISSED, malformed bodies get named refusals", async () => {
  const { root, gateway, clock, lines, pool, session, step, close } = await openTestPool(
    (kv) => new LocalChain(kv),
    registerHotkey,
  );
  const trainer = await session("5Trainer");
  const silent = await session("5Silent");
  const bystander = await session("5Bystander");
  const uncommitted = await session("5Uncommitted");
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
    equal(assignment.network, "local");
    ok(assignment.pages.every((key) => key.startsWith("gentrx/local/simulation/data/0/")));

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

    clock.ms += 20 * 3000; // past the deadline
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
    await step("sim-b");
    equal((await pool.server.rounds.round(open))?.scored, true);
    equal((await pool.data.pages()).length, 0);
  } finally {
    await close();
  }
});

Deno.test("GenTrxPool on subtensor (subtensor stood in by an in-memory ChainClient): rounds open every 25 blocks whatever the steps, a commit body is refused with the way to commit on chain, a miner that committed on chain itself gets its assignment under the validator's own UID", async () => {
  // The validator is UID 2, not τaos's local 0: its pages and the assignment's aggregator say so.
  const node = new InMemorySubtensor({
    netuid: 3,
    hotkeys: ["5Trainer", "5SessionCommitter", VALIDATOR],
    block: 1_010,
  });
  const { gateway, clock, lines, pool, session, step, close } = await openTestPool(
    () => node.connect(["5Validator"]),
    async (_kv, hotkey) => (await node.connect([]).uidOf(hotkey))!,
  );
  const trainer = await session("5Trainer");
  const sessionCommitter = await session("5SessionCommitter");
  try {
    ok(lines.some((line) => line.endsWith("a round every 25 blocks")), lines.join(" | "));
    // The miner commits with its own hotkey (server/miner/bucket_commitment.ts), then joins.
    const readKey = "http://127.0.0.1:9/trainer-gentrx READ SECRET";
    equal(await commitBucket(node.connect(["5Trainer"]), "5Trainer", readKey), "committed");
    gateway.respond(trainer, { gentrx: "join" });
    // A miner that sends its read key over the session is told how to commit it instead.
    gateway.respond(sessionCommitter, { gentrx: "commit", commitment: readKey });
    gateway.respond(sessionCommitter, { gentrx: "join" });
    await pool.settled();
    assertToldToCommitOnChain(gateway.framesTo(sessionCommitter.uid, "gentrx_receipt"), 3);
    equal(await node.connect([]).commitment("5SessionCommitter"), null);

    // While the chain stays in one window of 25 blocks, no round opens, however many
    // --gentrx-round-steps (20) pass.
    for (let i = 0; i < 200; i++) await step();
    ok((await pool.data.pages()).length > 0, "pages for a round are in");
    equal(await pool.server.rounds.latestRound(), null);
    equal(gateway.framesTo(trainer.uid, "gentrx_assign").length, 0);

    // A new window every 10 steps; a round opens on a step where one began, numbered block // 25.
    let assignment: GenTrxAssignFrame | undefined;
    let windowBegan = false;
    for (let i = 1; i <= 400 && assignment === undefined; i++) {
      windowBegan = i % 10 === 0;
      if (windowBegan) node.block += DEFAULT_ROUND_BLOCKS;
      await step();
      assignment = gateway.framesTo(trainer.uid, "gentrx_assign")[0];
    }
    ok(assignment !== undefined, `an assignment was sent: ${lines.join(" | ")}`);
    ok(windowBegan);
    equal(assignment.round, Math.floor(node.block / DEFAULT_ROUND_BLOCKS));
    // The stand-in is a testnet chain: the keys and the assignment say so, so the miner
    // reads the model and pages where they are (τaos's gentrx/<mainnet|testnet>/ shards).
    equal(assignment.network, "testnet");
    ok(assignment.pages.every((key) => key.startsWith("gentrx/testnet/simulation/data/2/")));
    equal(assignment.aggregatorUid, 2);
    // τaos's deadline: 240 s of a 300 s round (25 blocks of 12 s).
    equal(assignment.deadlineMs, clock.ms + 240_000);
    equal(gateway.framesTo(sessionCommitter.uid, "gentrx_assign").length, 0);
    ok(lines.some((line) => line.includes(`uid ${sessionCommitter.uid} left out: `)));
  } finally {
    await close();
  }
});

/**
 * A pool on a subtensor stand-in (netuid 3, a round every 10 blocks, from
 * block 1000) whose "5Trainer" has committed its bucket on chain and joined,
 * with 100 steps of pages in.
 */
async function subtensorPoolWithTrainer(options: Pick<GenTrxPoolOptions, "commitmentReadMs"> = {}) {
  const node = new InMemorySubtensor({
    netuid: 3,
    hotkeys: ["5Validator", "5Trainer"],
    block: 1_000,
  });
  const test = await openTestPool(
    () => node.connect(["5Validator"]),
    async (_kv, hotkey) => (await node.connect([]).uidOf(hotkey))!,
    { roundBlocks: 10 },
    options,
  );
  try {
    ok(test.lines.some((line) => line.endsWith("a round every 10 blocks")), test.lines.join(" | "));
    const trainer = await test.session("5Trainer");
    const readKey = "http://127.0.0.1:9/trainer-gentrx READ SECRET";
    await commitBucket(node.connect(["5Trainer"]), "5Trainer", readKey);
    test.gateway.respond(trainer, { gentrx: "join" });
    for (let i = 0; i < 100; i++) await test.step();
    ok((await test.pool.data.pages()).length > 0, "pages for a round are in");
    /** Steps once with the node answering again; the trainer's first assignment. */
    const answerAgain = async (): Promise<GenTrxAssignFrame> => {
      node.reachable = true;
      await test.step();
      const [assignment] = test.gateway.framesTo(trainer.uid, "gentrx_assign");
      ok(assignment !== undefined, `an assignment was sent: ${test.lines.join(" | ")}`);
      return assignment;
    };
    return { ...test, node, trainer, answerAgain };
  } catch (error) {
    await test.close();
    throw error;
  }
}

/** One step, which must settle within 5 s. */
const settledStep = (step: () => Promise<void>, what: string) =>
  withDeadline(step(), 5_000, () => new Error(`${what}: the step did not settle within 5 s`));

Deno.test("GenTrxPool on subtensor (stood in by an in-memory ChainClient) whose node stops answering: ticks keep flowing, rounds wait for the next head, then open every --gentrx-round-blocks", async () => {
  const { node, pool, step, answerAgain, close } = await subtensorPoolWithTrainer();
  try {
    // The node hangs: every step still settles (each reads the block in memory), and
    // with no new head the clock stays in its window, however far the chain moves.
    node.reachable = false;
    for (let i = 0; i < 30; i++) {
      node.block += 10;
      await settledStep(step, `step ${i} while the node hangs`);
    }
    equal(await pool.server.rounds.latestRound(), null);

    // The node answers again: the next step hears block 1300 and opens round 130.
    equal((await answerAgain()).round, 130);
  } finally {
    node.reachable = true; // so a failed test's queued work can finish
    await close();
  }
});

Deno.test("GenTrxPool on subtensor (stood in by an in-memory ChainClient) whose node stops answering as a round opens: the opening gives up on the commitment read at its bound, the step settles, and the next round takes the miner", async () => {
  const { node, gateway, lines, pool, trainer, step, answerAgain, close } =
    await subtensorPoolWithTrainer({
      commitmentReadMs: 200,
    });
  try {
    // A new window is heard, then the node goes quiet: the opening's reads hang.
    node.block += 10;
    node.reachable = false;
    await settledStep(step, "the round's opening while the commitment read hangs");
    ok(
      lines.some((line) =>
        line.endsWith(
          `uid ${trainer.uid} left out: the chain did not give its bucket commitment within 200 ms`,
        )
      ),
      lines.join(" | "),
    );
    equal(await pool.server.rounds.latestRound(), null);
    equal(gateway.framesTo(trainer.uid, "gentrx_assign").length, 0);

    // The node answers again; the next window's round takes the miner.
    node.block += 10;
    equal((await answerAgain()).round, 102);
  } finally {
    node.reachable = true; // so a failed test's queued work can finish
    await close();
  }
});

Deno.test("GenTrxPool on subtensor (stood in by an in-memory ChainClient) does not open for a validator hotkey with no UID, naming it and the subnet", async () => {
  const node = new InMemorySubtensor({ netuid: 3, hotkeys: ["5Trainer"], block: 1_000 });
  const kv = await Deno.openKv(":memory:");
  try {
    await rejects(
      GenTrxPool.open({
        settings: poolSettings("/nonexistent/objects"),
        kv,
        validatorHotkey: VALIDATOR,
        stepMs: 3000,
        gateway: new FakeGateway(),
        chain: node.connect([VALIDATOR]),
        log: () => {},
      }),
      {
        message: 'Cannot open the GenTRX pool: validator hotkey "5Validator" has no UID on ' +
          "netuid 3; register it first (btcli subnets register)",
      },
    );
  } finally {
    kv.close();
  }
});
