/**
 * Integration: a real validator and miners over real WebSockets with real
 * sr25519 hotkeys — honest miners, and a malicious one that forges, replays
 * and sends garbage.
 */
import { deepEqual, equal, rejects } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { stringToU8a, u8aWrapBytes } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { createSessionKey, signFrame } from "@/engine/auth/session_key.ts";
import {
  decodeServerFrame,
  MAX_MINER_FRAME_BYTES,
  type ServerFrame,
} from "@/engine/gateway/frames.ts";
import { GatewayError, MinerClient } from "@/engine/gateway/miner_client.ts";
import { parseConfig } from "@/server/config.ts";
import { startValidator, type Validator } from "@/server/validator.ts";

await cryptoWaitReady();
const keyring = new Keyring({ type: "sr25519" });
const bob = keyring.addFromUri("//Bob");
const charlie = keyring.addFromUri("//Charlie");
const mallory = keyring.addFromUri("//Mallory");

async function withValidator(test: (validator: Validator, wsUrl: string) => Promise<void>) {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-gateway-" });
  const validator = await startValidator(
    parseConfig(
      ["--port", "0", "--data", dataDir, "--books", "1", "--demo-miners", "0"],
      () => undefined,
    ),
    () => {},
  );
  try {
    for (const pair of [bob, charlie]) {
      const response = await fetch(`${validator.url}/api/metagraph/register`, {
        method: "POST",
        body: JSON.stringify({ hotkey: pair.address }),
      });
      equal(response.status, 200);
      await response.body?.cancel();
    }
    await test(validator, validator.url.replace("http", "ws") + "/api/miner/ws");
  } finally {
    await validator.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** Signs like a browser wallet's signRaw: the grant text wrapped in <Bytes>. */
function walletSigner(pair: KeyringPair) {
  return (message: string) => Promise.resolve(pair.sign(u8aWrapBytes(stringToU8a(message))));
}

/** A raw socket for sending what no honest client would. */
async function rawSocket(url: string) {
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  const frames: ServerFrame[] = [];
  const closed = new Promise<number>((resolve) => socket.onclose = (event) => resolve(event.code));
  socket.onmessage = (event) => frames.push(decodeServerFrame(new Uint8Array(event.data)));
  await new Promise((resolve) => socket.onopen = resolve);
  return { socket, frames, closed };
}

Deno.test("honest miners authenticate, send sequenced frames and are listed", async () => {
  await withValidator(async (validator, url) => {
    const miner = await MinerClient.connect({
      url,
      hotkey: bob.address,
      signGrant: walletSigner(bob),
    });
    const other = await MinerClient.connect({
      url,
      hotkey: charlie.address,
      signGrant: (message) => Promise.resolve(charlie.sign(stringToU8a(message))),
    });
    deepEqual([miner.uid, other.uid], [1, 2]);
    for (let i = 0; i < 5; i++) await miner.send(new Uint8Array([i]));
    await other.send(new Uint8Array([42]));
    const listed = validator.gateway.miners.sort((a, b) => a.uid - b.uid);
    deepEqual(listed.map((m) => [m.uid, m.acceptedFrames, m.refusedFrames]), [[1, 5, 0], [
      2,
      1,
      0,
    ]]);
    const api = await (await fetch(`${validator.url}/api/miners`)).json();
    equal(api.length, 2);
    const metagraph = await (await fetch(`${validator.url}/api/metagraph`)).json();
    deepEqual(metagraph[0].endpoint, url);
    deepEqual(metagraph.map((n: { validatorPermit: boolean }) => n.validatorPermit), [
      true,
      false,
      false,
    ]);
    miner.close();
    other.close();
  });
});

Deno.test("concurrent sends leave in sequence order, whichever signature finishes first", async () => {
  await withValidator(async (validator, url) => {
    const miner = await MinerClient.connect({
      url,
      hotkey: bob.address,
      signGrant: walletSigner(bob),
    });
    // A long body takes longer to sign than the short ones sent after it.
    const bodies = Array.from(
      { length: 40 },
      (_, i) => new Uint8Array(i % 8 === 0 ? 200_000 : 1).fill(i),
    );
    const seqs = await Promise.all(bodies.map((body) => miner.send(body)));
    deepEqual(seqs, bodies.map((_, i) => i + 1));
    const [listed] = validator.gateway.miners;
    deepEqual([listed.acceptedFrames, listed.refusedFrames], [40, 0]);
    miner.close();
  });
});

Deno.test("replayed and forged frames are refused while the honest session goes on", async () => {
  await withValidator(async (validator, url) => {
    const miner = await MinerClient.connect({
      url,
      hotkey: bob.address,
      signGrant: walletSigner(bob),
    });
    const body = new Uint8Array([7]);
    const seq = await miner.send(body);
    const forger = await createSessionKey();
    await rejects(miner.sendRaw(seq, body, new Uint8Array(64)), { code: "replayed_sequence" });
    await rejects(miner.sendRaw(seq + 1, body, await signFrame(forger, seq + 1, body)), {
      code: "bad_frame_signature",
    });
    await miner.send(new Uint8Array([8]));
    const [listed] = validator.gateway.miners;
    deepEqual([listed.acceptedFrames, listed.refusedFrames], [2, 2]);
    miner.close();
  });
});

Deno.test("unregistered hotkeys and forged grants never get a session", async () => {
  await withValidator(async (_validator, url) => {
    await rejects(
      MinerClient.connect({ url, hotkey: mallory.address, signGrant: walletSigner(mallory) }),
      (error) => error instanceof GatewayError && error.code === "unknown_hotkey",
    );
    await rejects(
      MinerClient.connect({ url, hotkey: bob.address, signGrant: walletSigner(mallory) }),
      (error) => error instanceof GatewayError && error.code === "bad_grant_signature",
    );
  });
});

Deno.test("malformed, oversized and out-of-order frames close the connection with an error", async () => {
  await withValidator(async (validator, url) => {
    const cases: [string, (socket: WebSocket) => void, string][] = [
      ["text frame", (socket) => socket.send("hello"), "must be a binary message"],
      ["not msgpack", (socket) => socket.send(new Uint8Array([0xc1])), "not msgpack"],
      [
        "wrong version",
        (socket) => socket.send(encode({ t: "grant", v: 9 })),
        "protocol version 9",
      ],
      [
        "response before grant",
        (socket) =>
          socket.send(
            encode({
              t: "response",
              v: 1,
              seq: 1,
              body: new Uint8Array(),
              signature: new Uint8Array(64),
            }),
          ),
        'expected "grant" first',
      ],
      [
        "oversized",
        (socket) => socket.send(new Uint8Array(MAX_MINER_FRAME_BYTES + 1)),
        `exceeds the limit of ${MAX_MINER_FRAME_BYTES}`,
      ],
      [
        "grant with a bad field",
        (socket) =>
          socket.send(
            encode({ t: "grant", v: 1, grant: { validator: 5 }, signature: new Uint8Array() }),
          ),
        "Invalid grant.validator",
      ],
    ];
    for (const [name, send, expected] of cases) {
      const { socket, frames, closed } = await rawSocket(url);
      send(socket);
      equal(await closed, 1008, name);
      const error = frames.find((frame) => frame.t === "error");
      equal(
        error?.t === "error" && error.message.includes(expected),
        true,
        `${name}: ${JSON.stringify(error)}`,
      );
    }
    // The honest path still works afterwards.
    const miner = await MinerClient.connect({
      url,
      hotkey: bob.address,
      signGrant: walletSigner(bob),
    });
    await miner.send(new Uint8Array([1]));
    equal(validator.gateway.miners.length, 1);
    miner.close();
  });
});
