/**
 * The agent worker (workers/agent_worker.ts) as a real module worker: an
 * example agent runs offline on the exchange's WebAssembly build, and live
 * against a real validator whose gateway checks a real sr25519 grant — the
 * wallet (here a keyring pair answering the worker's "sign" request) signs
 * once, and every answer is a session-key-signed frame.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { stringToU8a, u8aWrapBytes } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { TAOS_BOOK_CONFIG } from "@/engine/book_records.ts";
import { EXAMPLE_AGENT } from "@/routes/_example_agent.ts";
import { parseConfig } from "@/server/config.ts";
import { ensureWasmBuild } from "@/server/native_library.ts";
import { startValidator } from "@/server/validator.ts";
import { simulationConfig } from "@/server/validator_loop.ts";
import { bucketReadKey } from "@/workers/miner/bucket_read_key.ts";
import {
  type FromAgentWorker,
  PROTOCOL_VERSION,
  type ToAgentWorker,
} from "@/workers/miner/protocol.ts";

const wasmPath = await ensureWasmBuild(() => {});

/** A real module worker running workers/agent_worker.ts, with a wait for a matching message. */
function startWorker() {
  const worker = new Worker(new URL("../agent_worker.ts", import.meta.url), { type: "module" });
  const received: FromAgentWorker[] = [];
  const waiters: { test: (m: FromAgentWorker) => boolean; resolve: () => void }[] = [];
  const listeners: ((m: FromAgentWorker) => void)[] = [];
  worker.onmessage = ({ data }: MessageEvent<FromAgentWorker>) => {
    received.push(data);
    for (const listener of listeners) listener(data);
    for (const waiter of [...waiters]) {
      if (waiter.test(data)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const send = (message: ToAgentWorker) => worker.postMessage(message);
  const until = (test: (m: FromAgentWorker) => boolean, timeoutMs = 60_000) => {
    if (received.some(test)) return Promise.resolve();
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const timer = setTimeout(() => {
      const seen = received.map((m) => m.type === "status" ? `${m.phase}: ${m.detail}` : m.type);
      reject(new Error(`Timed out; the worker said ${seen.slice(-8).join(" | ")}`));
    }, timeoutMs);
    waiters.push({
      test,
      resolve: () => {
        clearTimeout(timer);
        resolve();
      },
    });
    return promise;
  };
  const lastSnapshot = () =>
    received.findLast((m) => m.type === "snapshot")?.snapshot as Extract<
      FromAgentWorker,
      { type: "snapshot" }
    >["snapshot"];
  return { worker, received, send, until, lastSnapshot, listeners };
}

const agent = { source: EXAMPLE_AGENT, params: { volume: "0.5" }, seed: 3 };

Deno.test({
  name: "offline: the agent trades in the worker's WebAssembly market until its steps are done",
  ignore: wasmPath === undefined,
  async fn() {
    const { worker, send, until, lastSnapshot, received } = startWorker();
    try {
      const books = [TAOS_BOOK_CONFIG];
      send({
        v: PROTOCOL_VERSION,
        type: "start",
        run: {
          mode: "offline",
          agent,
          wasmUrl: new URL(`file://${wasmPath}`).href,
          books,
          config: simulationConfig(books),
          steps: 200,
          stepMs: 0,
        },
      });
      await until((m) => m.type === "status" && m.phase === "finished");
      const snapshot = lastSnapshot();
      equal(snapshot.steps, 200);
      ok(snapshot.fillCount > 0, "no fills offline");
      ok(received.some((m) => m.type === "log" && m.lines.some((l) => l.startsWith("Filled"))));
      equal(received.some((m) => m.type === "error"), false);
    } finally {
      worker.terminate();
    }
  },
});

/** A validator on the local network with one book, in a temporary data folder. */
async function startLocalValidator(extraArgs: string[] = []) {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-agent-worker-" });
  const validator = await startValidator(
    parseConfig(
      [
        ...["--port", "0", "--data", dataDir, "--books", "1", "--demo-miners", "1"],
        ...["--step-ms", "30", "--grace-seconds", "0", ...extraArgs],
      ],
      () => undefined,
    ),
    () => {},
  );
  return {
    validator,
    async stop() {
      await validator.shutdown();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** Registers `pair` on the validator's local network; its UID. */
async function register(url: string, pair: KeyringPair): Promise<number> {
  const response = await fetch(`${url}/api/metagraph/register`, {
    method: "POST",
    body: JSON.stringify({ hotkey: pair.address }),
  });
  return (await response.json()).uid;
}

/** Answers the worker's "sign" requests as a browser wallet's signRaw does (<Bytes>-wrapped). */
function signWith(pair: KeyringPair, { send, listeners }: ReturnType<typeof startWorker>) {
  let signatures = 0;
  listeners.push((message) => {
    if (message.type !== "sign") return;
    signatures++;
    const signature = pair.sign(u8aWrapBytes(stringToU8a(message.message)));
    send({ v: PROTOCOL_VERSION, type: "signature", id: message.id, signature });
  });
  return () => signatures;
}

Deno.test("live: the wallet signs once per connection, the agent answers every state, and a dropped connection reconnects", async () => {
  await cryptoWaitReady();
  const pair = new Keyring({ type: "sr25519" }).addFromUri("//AgentWorkerTest");
  const local = await startLocalValidator();
  const { validator } = local;
  const started = startWorker();
  const { worker, send, until, lastSnapshot, received } = started;
  try {
    const uid = await register(validator.url, pair);
    const signed = signWith(pair, started);
    send({
      v: PROTOCOL_VERSION,
      type: "start",
      run: {
        mode: "live",
        agent,
        url: validator.url.replace("http", "ws") + "/api/miner/ws",
        hotkey: pair.address,
      },
    });
    await until((m) => m.type === "status" && m.phase === "live" && m.uid === uid);
    await until((m) =>
      m.type === "snapshot" && m.snapshot.answers >= 20 && m.snapshot.answerMs !== null
    );
    const snapshot = lastSnapshot();
    equal(signed(), 1);
    ok(snapshot.books[0].startQuote > 0, "the miner was not funded");
    const [listed] = validator.gateway.miners.filter((miner) => miner.uid === uid);
    ok(listed.acceptedFrames >= 20, `${listed.acceptedFrames} frames accepted`);
    equal(listed.refusedFrames, 0);
    // The validator drops every connection: the worker reconnects with a fresh grant.
    const lives = () => received.filter((m) => m.type === "status" && m.phase === "live").length;
    validator.gateway.close();
    await until((m) => m.type === "status" && m.phase === "reconnecting");
    await until(() => lives() === 2);
    equal(signed(), 2);
    const answered = lastSnapshot().answers;
    await until((m) => m.type === "snapshot" && m.snapshot.answers >= answered + 5);
    equal(validator.gateway.miners.filter((miner) => miner.uid === uid).length, 1);
    send({ v: PROTOCOL_VERSION, type: "stop" });
    await until((m) => m.type === "status" && m.phase === "stopped");
    equal(received.some((m) => m.type === "error"), false);
  } finally {
    worker.terminate();
    await local.stop();
  }
});

/** A tab's bucket; nothing is uploaded in these tests, so nothing listens there. */
const TAB_BUCKET = {
  endpoint: "http://127.0.0.1:9",
  bucket: "tab-gentrx",
  region: "auto",
  accessKeyId: "WRITE",
  secretAccessKey: "WRITE-SECRET",
  readAccessKeyId: "READ",
  readSecretAccessKey: "READ-SECRET",
};

for (const commitVia of ["session", "chain"] as const) {
  Deno.test(
    `live GenTRX, read key committed via ${commitVia}: ${
      commitVia === "session"
        ? "the run sends it before joining"
        : "the page committed it on chain, so the run only joins"
    }`,
    async () => {
      await cryptoWaitReady();
      const pair = new Keyring({ type: "sr25519" }).addFromUri(`//AgentWorkerGenTrx/${commitVia}`);
      const local = await startLocalValidator(["--gentrx", "--gentrx-demo-trainers", "0"]);
      const started = startWorker();
      const { worker, send, until, lastSnapshot } = started;
      try {
        const uid = await register(local.validator.url, pair);
        signWith(pair, started);
        send({
          v: PROTOCOL_VERSION,
          type: "start",
          run: {
            mode: "live",
            agent,
            url: local.validator.url.replace("http", "ws") + "/api/miner/ws",
            hotkey: pair.address,
            gentrx: TAB_BUCKET,
            gentrxCommitVia: commitVia,
          },
        });
        await until((m) => m.type === "status" && m.phase === "live" && m.uid === uid);
        await until((m) =>
          m.type === "snapshot" && m.snapshot.gentrx.receipts.some((r) => r.kind === "join")
        );
        const kinds = lastSnapshot().gentrx.receipts.map(({ kind, ok }) => `${kind}: ${ok}`);
        deepEqual(kinds, commitVia === "session" ? ["commit: true", "join: true"] : ["join: true"]);
        const stored = await local.validator.chain.commitment(pair.address);
        equal(stored, commitVia === "session" ? bucketReadKey(TAB_BUCKET) : null);
        send({ v: PROTOCOL_VERSION, type: "stop" });
        await until((m) => m.type === "status" && m.phase === "stopped");
      } finally {
        worker.terminate();
        await local.stop();
      }
    },
  );
}
