/**
 * Integration: a GenTRX round travels over the miner session. A validator
 * with `--gentrx` and real miners over real WebSockets and sr25519 session
 * signatures: an honest headless miner (`gentrx` on, its bucket on a real
 * S3-protocol server) commits its read key, opts in, trains in its worker,
 * uploads and answers; a miner that opts in but never uploads times out to
 * MISSED and scores 0; a malformed assignment is refused by the miner and a
 * malformed reply by the validator, each with a named error.
 */
import { equal, ok } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { Keyring } from "@polkadot/keyring";
import { stringToU8a } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import {
  type GenTrxReceiptFrame,
  PROTOCOL_VERSION,
  type ServerFrame,
} from "@/engine/gateway/frames.ts";
import { MinerClient } from "@/engine/gateway/miner_client.ts";
import randomMaker from "@/engine/agents/random_maker.ts";
import { formatBucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import { parseConfig } from "@/server/config.ts";
import { startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";
import { startValidator } from "@/server/validator.ts";
import { startS3rver } from "@/tests/gentrx_s3rver.ts";

await cryptoWaitReady();

async function until<T>(
  probe: () => T | null | undefined | Promise<T | null | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test("GenTRX over the miner session: the honest miner is scored above 0, the silent one times out at 0, malformed frames are refused by name", async () => {
  const s3 = await startS3rver(["honest-miner"]);
  const dataDir = await Deno.makeTempDir({ prefix: "mf_gentrx_session_" });
  const validatorLog: string[] = [];
  const validator = await startValidator(
    parseConfig(
      [
        ...["--port", "0", "--data", dataDir, "--books", "2", "--demo-miners", "0"],
        ...["--demo-forecasters", "0", "--step-ms", "100", "--grace-seconds", "1"],
        ...["--gentrx", "--gentrx-round-steps", "100", "--gentrx-demo-trainers", "0"],
        ...["--gentrx-rows-per-page", "100"],
      ],
      () => undefined,
    ),
    (line) => validatorLog.push(line),
  );
  const pool = validator.gentrx!;
  const url = validator.url.replace("http", "ws") + "/api/miner/ws";
  const keyring = new Keyring({ type: "sr25519" });
  const honestKey = keyring.addFromUri("//Dave");
  const silentKey = keyring.addFromUri("//Eve");
  const honestLog: string[] = [];
  const honestReceipts: GenTrxReceiptFrame[] = [];
  const honest = startHeadlessMiner({
    url,
    hotkey: honestKey,
    agent: randomMaker,
    log: (line) => honestLog.push(line),
    gentrx: {
      bucket: { kind: "s3", ...s3.credentials, bucket: "honest-miner" },
      onReceipt: (receipt) => honestReceipts.push(receipt),
    },
  });
  let silent: MinerClient | undefined;
  try {
    const honestUid = await registerHotkey(validator.kv, honestKey.address);
    const silentUid = await registerHotkey(validator.kv, silentKey.address);
    const honestClient = await honest.ready;
    equal(honestClient.uid, honestUid);
    // The silent miner: a bare session that answers states with no orders (so steps do not
    // wait for it), commits a bucket and opts in, then never uploads.
    silent = await MinerClient.connect({
      url,
      hotkey: silentKey.address,
      signGrant: (message) => Promise.resolve(silentKey.sign(stringToU8a(message))),
      onState: (step) =>
        silent?.send(encode({ agent_id: silentUid, instructions: [], step })).catch(() => {}),
    });
    const silentFrames: ServerFrame[] = [];
    silent.onFrame((frame) => silentFrames.push(frame));
    const silentBucket = formatBucketLocation({ kind: "folder", path: `${dataDir}/silent_bucket` });
    await silent.send(encode({ gentrx: "commit", commitment: silentBucket }));
    await silent.send(encode({ gentrx: "join" }));
    await until(() => pool.joinedUids.length === 2, 10_000, "both miners to opt in");
    equal(await validator.chain.commitment(silentKey.address), silentBucket);
    ok((await validator.chain.commitment(honestKey.address))?.includes("/honest-miner "));

    // A malformed reply is refused with the field named, and the session goes on.
    await silent.send(encode({ gentrx: "uploaded", round: 1, key: "../escape", sizeBytes: 0 }));
    const refused = await until(
      () =>
        silentFrames.find((f): f is GenTrxReceiptFrame =>
          f.t === "gentrx_receipt" && f.kind === "uploaded"
        ),
      5_000,
      "the refusal of the malformed reply",
    );
    equal(refused.ok, false);
    ok(refused.message.startsWith("Invalid gentrx.key:"), refused.message);

    // A malformed assignment is refused by the miner, which stays connected.
    validator.gateway.publish((session) =>
      session.uid === honestUid
        ? {
          t: "gentrx_assign",
          v: PROTOCOL_VERSION,
          round: 99,
          uid: honestUid,
          modelVersion: 0,
          pages: [],
          tsStartNs: 0,
          tsEndNs: 1,
          deadlineMs: Date.now() + 10_000,
          data: "ftp://nowhere",
          network: "local",
          source: "simulation",
          aggregatorUid: 0,
        }
        : null
    );
    const refusal = await until(
      () => honestLog.find((line) => line.startsWith("Refused gentrx_assign")),
      5_000,
      "the miner's refusal",
    );
    ok(refusal.includes("Invalid gentrx_assign.pages: must hold at least 1 page"), refusal);

    // A round with both miners: scored once the honest upload is in and the silent one timed out.
    const round = await until(
      async () => {
        const latest = await pool.server.rounds.latestRound();
        return latest?.scored && latest.uids.includes(honestUid) && latest.uids.includes(silentUid)
          ? latest
          : null;
      },
      45_000,
      `a scored round with both miners (validator: ${
        validatorLog.filter((l) => l.includes("GenTRX")).join(" | ")
      }; pages ${(await pool.data.pages()).length}, miner: ${honestLog.join(" | ")})`,
    );
    const assignments = await pool.server.rounds.assignments(round.round);
    const mine = assignments.find((a) => a.uid === honestUid)!;
    const missed = assignments.find((a) => a.uid === silentUid)!;
    equal(mine.state, "SCORED", `${JSON.stringify(mine.score)}; miner: ${honestLog.join(" | ")}`);
    ok(mine.gradientAtMs! <= round.deadlineMs);
    ok(mine.score!.accepted && mine.score!.normalised > 0, JSON.stringify(mine.score));
    equal(missed.state, "MISSED");
    equal(missed.score!.score, 0);
    equal(missed.score!.reason, "no gradient by the deadline");
    ok(silentFrames.some((f) => f.t === "gentrx_assign" && f.round === round.round));
    ok(
      honestReceipts.some((r) => r.kind === "uploaded" && r.round === round.round && r.ok),
      JSON.stringify(honestReceipts),
    );
    const input = await until(() => pool.poolInput(8), 5_000, "the training pool's input");
    ok(input.scores[honestUid] > 0, `honest EMA ${input.scores[honestUid]}`);
    equal(input.scores[silentUid], 0);
  } finally {
    silent?.close();
    honest.stop();
    await validator.shutdown();
    await s3.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
