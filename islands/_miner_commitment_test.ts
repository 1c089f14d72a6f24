/**
 * The console's commit of its bucket read key on subtensor, with the chain
 * stood in by memory (tests/subtensor_stand_in.ts, subtensor's commitment
 * rules; named so in the test names) behind the injected opener, where the
 * tab would dial a node and ask its wallet.
 */
import { deepEqual, equal, match, rejects, throws } from "node:assert/strict";
import {
  type ChainCommitTarget,
  commitOnChain,
  type CommitStatus,
  commitTarget,
  type OpenCommitmentChain,
  parseNetuid,
  parseNodeUrl,
} from "@/islands/_miner_commitment.ts";
import { DAVE_BUCKET } from "@/islands/_gentrx_bucket_fixture.ts";
import { FINNEY_ENTRYPOINT, type GenTrxPool } from "@/islands/_miner_gentrx_opt_in.tsx";
import { GENTRX_OFF, type GenTrxSettings } from "@/islands/_miner_settings.ts";
import { COMMITMENT_RATE_LIMIT_BLOCKS, InMemorySubtensor } from "@/tests/subtensor_stand_in.ts";

const BLOCK_HASH = "0x8d4c5f0a6e1b2c3d4e5f60718293a4b5c6d7e8f9";
const TARGET: ChainCommitTarget = {
  nodeUrl: "wss://node.example:443",
  netuid: 3,
  hotkey: "5Dave",
  readKey: "https://s3.example.com/dave-gentrx READ SECRET",
};

/** An opener over an in-memory subnet that plays the wallet's and the node's steps around each commit. */
function standInOpener(node: InMemorySubtensor) {
  const opened: ChainCommitTarget[] = [];
  let closed = 0;
  const open: OpenCommitmentChain = (target, onSend) => {
    opened.push(target);
    const chain = node.connect([target.hotkey]);
    return Promise.resolve({
      netuid: chain.netuid,
      uidOf: (hotkey) => chain.uidOf(hotkey),
      commitment: (hotkey) => chain.commitment(hotkey),
      async setCommitment(hotkey, data) {
        onSend("signing");
        onSend("submitted");
        await chain.setCommitment(hotkey, data);
        onSend("in-block", BLOCK_HASH);
      },
      close() {
        closed++;
        return Promise.resolve();
      },
    });
  };
  return { open, opened, closed: () => closed };
}

function subnet() {
  return new InMemorySubtensor({ netuid: 3, hotkeys: ["5Validator", "5Dave"], block: 1_000 });
}

Deno.test("commitOnChain (subtensor stood in by memory): each step on the status line; an unchanged key sends nothing", async () => {
  const node = subnet();
  const opener = standInOpener(node);
  const statuses: CommitStatus[] = [];
  equal(await commitOnChain(TARGET, (s) => statuses.push(s), opener.open), "committed");
  deepEqual(statuses, [
    { state: "working", text: "Connecting to wss://node.example:443" },
    { state: "working", text: "Checking that the hotkey has a UID on netuid 3" },
    { state: "working", text: "Reading the hotkey's commitment on netuid 3" },
    { state: "working", text: "Sending the new read key" },
    { state: "working", text: "Waiting for the wallet to sign Commitments.set_commitment" },
    { state: "working", text: "Submitted; waiting for a block to include it" },
    { state: "done", text: "Committed on netuid 3 in block 0x8d4c5f0a…" },
  ]);
  equal(await node.connect([]).commitment("5Dave"), TARGET.readKey);
  equal(node.commitCalls, 1);
  deepEqual(opener.opened, [TARGET]);
  equal(opener.closed(), 1);

  // Going live again with the same bucket: read, equal, nothing signed.
  statuses.length = 0;
  equal(await commitOnChain(TARGET, (s) => statuses.push(s), opener.open), "unchanged");
  deepEqual(statuses.at(-1), {
    state: "done",
    text: "Already on chain: netuid 3 holds this read key, nothing was sent",
  });
  equal(statuses.some((s) => s.state === "working" && s.text.includes("wallet")), false);
  equal(node.commitCalls, 1);
  equal(opener.closed(), 2);
});

Deno.test("commitOnChain (subtensor stood in by memory): a refusal ends on a failed status with the chain's reason", async () => {
  const node = subnet();
  const opener = standInOpener(node);
  await commitOnChain(TARGET, () => {}, opener.open);
  // A new key within spec 185's rate limit.
  const rotated = { ...TARGET, readKey: TARGET.readKey.replace("READ", "READ2") };
  const statuses: CommitStatus[] = [];
  await rejects(commitOnChain(rotated, (s) => statuses.push(s), opener.open), {
    rule: "CommitmentSetRateLimitExceeded",
  });
  const last = statuses.at(-1) as Extract<CommitStatus, { text: string }>;
  equal(last.state, "failed");
  match(
    last.text,
    /rate limit exceeded\): the chain limits how often a hotkey commits .*try again later$/,
  );
  equal(opener.closed(), 2, "the connection is closed after a refusal too");
  node.block += COMMITMENT_RATE_LIMIT_BLOCKS;
  equal(await commitOnChain(rotated, () => {}, opener.open), "committed");

  // Too long for the chain: named by its limit before any wallet is asked.
  const long = { ...TARGET, readKey: TARGET.readKey.replace("SECRET", "S".repeat(128)) };
  statuses.length = 0;
  await rejects(commitOnChain(long, (s) => statuses.push(s), opener.open));
  deepEqual(statuses.at(-1), {
    state: "failed",
    text: `Invalid bucket read key: the read key takes ${long.readKey.length} characters as a ` +
      "chain commitment, over its limit of 128; use a shorter endpoint, bucket name or keys",
  });

  // Not registered on the subnet.
  statuses.length = 0;
  await rejects(commitOnChain({ ...TARGET, hotkey: "5Eve" }, (s) => statuses.push(s), opener.open));
  deepEqual(statuses.at(-1), {
    state: "failed",
    text: 'Cannot commit the bucket read key: hotkey "5Eve" is not registered on netuid 3; ' +
      "register it first (btcli subnets register)",
  });

  // No node: the opener's error is the status.
  statuses.length = 0;
  const unreachable: OpenCommitmentChain = () =>
    Promise.reject(new Error('Cannot connect to subtensor at "wss://node.example:443": refused'));
  await rejects(commitOnChain(TARGET, (s) => statuses.push(s), unreachable));
  deepEqual(statuses, [
    { state: "working", text: "Connecting to wss://node.example:443" },
    { state: "failed", text: 'Cannot connect to subtensor at "wss://node.example:443": refused' },
  ]);
});

Deno.test("commitOnChain (subtensor stood in by memory): the tab commits what the headless miner would, an R2 read key in its packed 128-character form (commitmentOf)", async () => {
  const node = subnet();
  const account = "0123456789abcdef0123456789abcdef";
  const [keyId, secret] = ["ab".repeat(16), "cd".repeat(32)];
  const readKey = `https://${account}.r2.cloudflarestorage.com/${account} ${keyId} ${secret}`;
  equal(
    await commitOnChain({ ...TARGET, readKey }, () => {}, standInOpener(node).open),
    "committed",
  );
  equal(await node.connect([]).commitment("5Dave"), `${account}${keyId}${secret}`);
});

Deno.test("the node URL and netuid settings are refused by field and limit", () => {
  equal(
    parseNodeUrl(" wss://entrypoint-finney.opentensor.ai:443 "),
    "wss://entrypoint-finney.opentensor.ai:443",
  );
  equal(parseNodeUrl("ws://127.0.0.1:9944"), "ws://127.0.0.1:9944");
  throws(() => parseNodeUrl("https://node.example"), {
    message: 'Invalid Subtensor node "https://node.example": must be a ws:// or wss:// URL',
  });
  throws(() => parseNodeUrl(""), { message: /^Invalid Subtensor node "": must be/ });
  equal(parseNetuid("3"), 3);
  equal(parseNetuid("65535"), 65535);
  for (const bad of ["", "-1", "65536", "2.5", "three"]) {
    throws(() => parseNetuid(bad), {
      message: `Invalid Subnet netuid "${bad}": must be an integer from 0 to 65535`,
    });
  }
});

Deno.test("commitTarget: the page's netuid and node, else the console's, else Bittensor's public node", () => {
  const settings: GenTrxSettings = { ...GENTRX_OFF, enabled: true };
  const bucket = DAVE_BUCKET;
  const subtensor: GenTrxPool = { pool: "s3", chain: "subtensor" };
  // The page names the subnet; no node set anywhere: the public entrypoint.
  deepEqual(commitTarget(settings, { ...subtensor, netuid: 7 }, "5Dave", bucket), {
    nodeUrl: FINNEY_ENTRYPOINT,
    netuid: 7,
    hotkey: "5Dave",
    readKey: "https://s3.example.com/dave-gentrx READ SECRET",
  });
  // The validator suggests a node; the console's own setting wins over it.
  const suggested = { ...subtensor, netuid: 7, chainNode: "wss://node.validator.example" };
  equal(commitTarget(settings, suggested, "5Dave", bucket).nodeUrl, suggested.chainNode);
  const own = { ...settings, chainNode: "ws://127.0.0.1:9944" };
  equal(commitTarget(own, suggested, "5Dave", bucket).nodeUrl, "ws://127.0.0.1:9944");
  // The page does not name the subnet: the console's field does, and must be set.
  equal(commitTarget({ ...settings, netuid: "12" }, subtensor, "5Dave", bucket).netuid, 12);
  throws(() => commitTarget(settings, subtensor, "5Dave", bucket), {
    message: 'Invalid Subnet netuid "": must be an integer from 0 to 65535',
  });
  throws(() => commitTarget({ ...settings, chainNode: "node.example" }, suggested, "5D", bucket), {
    message: 'Invalid Subtensor node "node.example": must be a ws:// or wss:// URL',
  });
});
