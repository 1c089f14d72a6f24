/**
 * The tab's subtensor commitments at the @polkadot/api seam: an in-memory
 * stand-in for the api (named so in the test names) records the calls and
 * plays the node's extrinsic statuses, since no subtensor runtime runs here
 * (tests/browser_miner_commitment_chopsticks_test.ts runs the real one when
 * SUBTENSOR_CHAIN_SPEC is set).
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { Signer } from "@polkadot/api/types";
import { commitBucket } from "@/engine/chain/bucket_commitment.ts";
import { type CommitmentInfo, commitmentInfo } from "@/engine/chain/commitment_data.ts";
import { freeLoopbackPort } from "@/server/chain/chopsticks.ts";
import {
  type CommitmentApi,
  connectSubtensorCommitments,
  type SendResult,
  type SendStep,
  setCommitmentCall,
  SubtensorCommitments,
} from "@/islands/_miner_chain.ts";

const NETUID = 3;
const DAVE = "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy";
const READ_KEY = "https://s3.example.com/dave-gentrx READ SECRET";
const BLOCK_HASH = "0x8d4c5f0a6e1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";
/** The wallet's signer; the api stand-in checks it is the one passed through. */
const WALLET_SIGNER: Signer = {};

/** How the node answers a submitted extrinsic: it calls `emit` with statuses, or rejects. */
type NodeAnswer = (emit: (result: SendResult) => void) => Promise<void>;

function status(type: string, value = ""): SendResult {
  return { status: { type, value: { toString: () => value } } };
}

/** The node includes the extrinsic: Ready, InBlock, then Finalized, after the submission resolves. */
const INCLUDED: NodeAnswer = async (emit) => {
  await Promise.resolve();
  setTimeout(() => {
    emit(status("Ready"));
    emit(status("InBlock", BLOCK_HASH));
    emit(status("Finalized", BLOCK_HASH));
  }, 0);
};

/** An @polkadot/api stand-in for one subnet: UIDs, stored commitments and the calls sent. */
function apiStandIn(answer: NodeAnswer = INCLUDED) {
  const registrations = new Map<string, unknown>();
  const calls: { netuid: number; info: CommitmentInfo; address: string; signer: Signer }[] = [];
  let unsubscribed = 0;
  let disconnected = false;
  const json = (value: unknown) => ({ toJSON: () => value });
  const api: CommitmentApi = {
    query: {
      subtensorModule: {
        uids: (netuid, hotkey) =>
          Promise.resolve(json(netuid === NETUID && hotkey === DAVE ? 1 : null)),
      },
      commitments: {
        commitmentOf: (netuid, hotkey) =>
          Promise.resolve(
            json(netuid === NETUID ? registrations.get(String(hotkey)) ?? null : null),
          ),
      },
    },
    tx: {
      commitments: {
        setCommitment: (netuid, info) => ({
          async signAndSend(address, { signer }, statusCb) {
            calls.push({ netuid, info, address, signer });
            await answer((result) => {
              // What the chain stores once a block includes it, as @polkadot/api's JSON has it.
              if (result.status.type === "InBlock" && !result.dispatchError) {
                const [[variant, hex]] = Object.entries(info.fields[0]);
                registrations.set(address, {
                  deposit: 0,
                  block: 7,
                  info: { fields: [{ [variant.toLowerCase()]: hex }] },
                });
              }
              statusCb(result);
            });
            return () => unsubscribed++;
          },
        }),
      },
    },
    registry: {
      findMetaError: () => ({
        section: "commitments",
        name: "CommitmentSetRateLimitExceeded",
        docs: ["Account is trying to commit data too fast, rate limit exceeded"],
      }),
    },
    disconnect() {
      disconnected = true;
      return Promise.resolve();
    },
  };
  return {
    api,
    calls,
    unsubscribed: () => unsubscribed,
    disconnected: () => disconnected,
  };
}

function commitments(api: CommitmentApi, inclusionTimeoutMs?: number) {
  const steps: [SendStep, string | undefined][] = [];
  const chain = new SubtensorCommitments(api, {
    netuid: NETUID,
    signer: WALLET_SIGNER,
    onSend: (step, detail) => steps.push([step, detail]),
    inclusionTimeoutMs,
  });
  return { chain, steps };
}

Deno.test("setCommitmentCall (api stood in): Commitments.set_commitment(netuid, one RawN field)", () => {
  const { api } = apiStandIn();
  let args: unknown[] = [];
  api.tx.commitments.setCommitment = (...given) => {
    args = given;
    return { signAndSend: () => Promise.resolve(() => {}) };
  };
  setCommitmentCall(api, NETUID, "hello");
  deepEqual(args, [NETUID, { fields: [{ Raw5: "0x68656c6c6f" }] }]);
  deepEqual(args[1], commitmentInfo("hello"));
});

Deno.test("SubtensorCommitments (api stood in): reads the UID and commitment; the wallet signs set_commitment, resolved once in a block", async () => {
  const node = apiStandIn();
  const { chain, steps } = commitments(node.api);
  equal(await chain.uidOf(DAVE), 1);
  equal(await chain.uidOf("5Eve"), undefined);
  equal(await chain.commitment(DAVE), null);

  await chain.setCommitment(DAVE, READ_KEY);
  deepEqual(steps, [["signing", undefined], ["submitted", undefined], ["in-block", BLOCK_HASH]]);
  equal(node.calls.length, 1);
  const [call] = node.calls;
  equal(call.netuid, NETUID);
  deepEqual(call.info, commitmentInfo(READ_KEY));
  equal(call.address, DAVE);
  equal(call.signer, WALLET_SIGNER, "the wallet's own signer signs");
  equal(node.unsubscribed(), 1, "the status subscription ends with the inclusion");
  equal(await chain.commitment(DAVE), READ_KEY);
  await chain.close();
  ok(node.disconnected());
});

Deno.test("commitBucket over SubtensorCommitments (api stood in): an unchanged read key asks the wallet for nothing", async () => {
  const node = apiStandIn();
  const { chain } = commitments(node.api);
  equal(await commitBucket(chain, DAVE, READ_KEY), "committed");
  equal(await commitBucket(chain, DAVE, READ_KEY), "unchanged");
  equal(node.calls.length, 1);
  const rotated = READ_KEY.replace("READ", "READ2");
  equal(await commitBucket(chain, DAVE, rotated), "committed");
  equal(node.calls.length, 2);
  await rejects(commitBucket(chain, "5Eve", READ_KEY), { rule: "HotKeyNotRegisteredInSubNet" });
  equal(node.calls.length, 2);
});

Deno.test("SubtensorCommitments (api stood in): refusals name the chain's error, the wallet's or the pool's", async () => {
  // The runtime fails the included call: its pallet error, then commitBucket's advice.
  const failed = apiStandIn(async (emit) => {
    await Promise.resolve();
    setTimeout(() =>
      emit({
        ...status("InBlock", BLOCK_HASH),
        dispatchError: {
          isModule: true,
          asModule: { index: 18, error: "0x02000000" },
          type: "Module",
          toString: () => '{"module":{"index":18,"error":"0x02000000"}}',
        },
      }), 0);
  });
  await rejects(commitBucket(commitments(failed.api).chain, DAVE, READ_KEY), {
    rule: "CommitmentSetRateLimitExceeded",
    message: "Cannot commit the bucket read key: Commitments.CommitmentSetRateLimitExceeded " +
      "(Account is trying to commit data too fast, rate limit exceeded): the chain limits how " +
      "often a hotkey commits (spec 185: once per 100 blocks; newer runtimes: 3100 bytes per " +
      "epoch), try again later",
  });

  // The user declines in the extension (polkadot{.js} rejects with "Cancelled").
  const declined = apiStandIn(() => Promise.reject(new Error("Cancelled")));
  await rejects(commitments(declined.api).chain.setCommitment(DAVE, READ_KEY), {
    rule: "WalletDeclined",
    message: "Cannot commit the bucket read key: the wallet did not sign it (Cancelled)",
  });

  // The node's pool refuses the submission.
  const refused = apiStandIn(() =>
    Promise.reject(new Error("1010: Invalid Transaction: Inability to pay some fees"))
  );
  await rejects(commitments(refused.api).chain.setCommitment(DAVE, READ_KEY), {
    rule: "InvalidTransaction",
    message: "Cannot commit the bucket read key: the node refused it " +
      "(1010: Invalid Transaction: Inability to pay some fees)",
  });

  // Dropped from the pool after submission.
  const dropped = apiStandIn(async (emit) => {
    await Promise.resolve();
    setTimeout(() => emit(status("Dropped")), 0);
  });
  await rejects(commitments(dropped.api).chain.setCommitment(DAVE, READ_KEY), {
    rule: "Dropped",
    message: "Cannot commit the bucket read key: the transaction pool reports Dropped",
  });

  // Never included: the wait ends, and so does the subscription.
  const silent = apiStandIn(() => Promise.resolve());
  await rejects(commitments(silent.api, 30).chain.setCommitment(DAVE, READ_KEY), {
    rule: "Timeout",
    message: "Cannot commit the bucket read key: not in a block after 30 ms",
  });
  equal(silent.unsubscribed(), 1);
});

Deno.test("connectSubtensorCommitments: no node at the URL fails naming it", async () => {
  const url = `ws://127.0.0.1:${freeLoopbackPort()}`;
  await rejects(connectSubtensorCommitments(url, { netuid: NETUID, signer: WALLET_SIGNER }), {
    rule: "ConnectionFailed",
    message: new RegExp(`^Cannot connect to subtensor at "${url}": `),
  });
});
