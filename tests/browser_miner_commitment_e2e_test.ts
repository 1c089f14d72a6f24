/**
 * End to end, with two stand-ins: a browser tab mining for a validator on
 * subtensor commits its GenTRX bucket's read key on chain through its
 * wallet before it joins the training pool.
 *
 * No subtensor runtime runs on this machine, so:
 * - the validator is a real process on the local network (with its GenTRX
 *   pages in a real S3-protocol bucket, s3rver), and the test rewrites the
 *   /miner page's island props to say what a validator on subtensor says
 *   (`chain: "subtensor"`, `netuid`);
 * - the chain node is stood in for at the tab's chain module
 *   (islands/_miner_chain.ts, the lazily loaded chunk): the test serves a
 *   module with its exports that forwards each read and `set_commitment`
 *   to an in-memory subnet in this process (tests/subtensor_stand_in.ts,
 *   with subtensor's commitment rules), after the injected wallet signed the
 *   call with `signPayload` (tests/browser_wallet.ts) — a signature the
 *   stand-in verifies against the hotkey.
 *
 * Everything else is the page's own: its settings, the decision to read
 * first and send only a changed key (engine/chain/bucket_commitment.ts), the
 * status line, the lazy import, and the live run that then only joins.
 * islands/_miner_chain_test.ts covers the real chain module at the
 * @polkadot/api seam; tests/browser_miner_commitment_chopsticks_test.ts runs
 * it against a real runtime when SUBTENSOR_CHAIN_SPEC is set.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { stringToHex } from "@polkadot/util";
import { blake2AsHex, cryptoWaitReady, signatureVerify } from "@polkadot/util-crypto";
import type { Page, Route } from "playwright-core";
import { FINNEY_ENTRYPOINT } from "@/islands/_miner_gentrx_opt_in.tsx";
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";
import { injectTestWallet } from "@/tests/browser_wallet.ts";
import { startS3rver } from "@/tests/gentrx_s3rver.ts";
import { InMemorySubtensor } from "@/tests/subtensor_stand_in.ts";

const NETUID = 3;
const VALIDATOR_BUCKET = "validator-pages";
const TAB_BUCKET = "tab-miner";
const NODE_URL = "wss://subtensor.stand-in.example";
/** The tab's chain module, a chunk of its own (server/fresh_lite/bundle.ts chunk names). */
const CHAIN_CHUNK = "**/_islands/chunks/_miner_chain-*.js";

await cryptoWaitReady();
const trainer = new Keyring({ type: "sr25519" }).addFromUri("//BrowserCommitter", {
  name: "Browser committer",
});

/**
 * The chain module's stand-in, served in place of the chunk: the export the
 * page uses, forwarding to `__subtensorStandIn` in the test process.
 */
const CHAIN_MODULE_STAND_IN = `
const node = async (call, ...args) => {
  const { value, error } = await globalThis.__subtensorStandIn(call, args);
  if (error) throw Object.assign(new Error(error.message), { rule: error.rule });
  return value;
};
const hex = (text) => "0x" +
  Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, "0")).join("");
export async function connectSubtensorCommitments(url, { netuid, signer, onSend = () => {} }) {
  await node("connect", url, netuid);
  return {
    netuid,
    uidOf: async (hotkey) => (await node("uidOf", hotkey)) ?? undefined,
    commitment: (hotkey) => node("commitment", hotkey),
    async setCommitment(hotkey, data) {
      onSend("signing");
      const method = hex(data);
      const { signature } = await signer.signPayload({ address: hotkey, method });
      onSend("submitted");
      onSend("in-block", await node("setCommitment", hotkey, data, method, signature));
    },
    close: () => Promise.resolve(),
  };
}
`;

/** Serves the /miner page with its BrowserMiner island told the validator is on subtensor. */
async function onSubtensor(route: Route): Promise<void> {
  const response = await route.fetch();
  const html = await response.text();
  const attribute = /(data-island="BrowserMiner" data-props=")([^"]*)(")/;
  const found = attribute.exec(html);
  if (found === null) throw new Error("The /miner page has no BrowserMiner island props");
  const props = JSON.parse(unescapeHtml(found[2]));
  const rewritten = escapeHtml(JSON.stringify({ ...props, chain: "subtensor", netuid: NETUID }));
  await route.fulfill({ response, body: html.replace(attribute, `$1${rewritten}$3`) });
}

function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** The subnet in this process, answering the page's chain module stand-in. */
async function standInNode(page: Page) {
  const node = new InMemorySubtensor({
    netuid: NETUID,
    hotkeys: ["5Validator", trainer.address],
    block: 1_000,
  });
  const reader = node.connect([]);
  const dialled: string[] = [];
  await page.exposeFunction("__subtensorStandIn", async (call: string, args: unknown[]) => {
    try {
      switch (call) {
        case "connect":
          dialled.push(String(args[0]));
          equal(args[1], NETUID, "the tab dials for the validator's subnet");
          return { value: null };
        case "uidOf":
          return { value: (await reader.uidOf(String(args[0]))) ?? null };
        case "commitment":
          return { value: await reader.commitment(String(args[0])) };
        case "setCommitment": {
          const [hotkey, data, method, signature] = args.map(String);
          equal(method, stringToHex(data), "the signed call carries the read key");
          if (!signatureVerify(method, signature, hotkey).isValid) {
            throw Object.assign(new Error("Cannot commit: bad signature"), { rule: "BadProof" });
          }
          await node.connect([hotkey]).setCommitment(hotkey, data);
          return { value: blake2AsHex(`block ${node.block}`) };
        }
      }
      throw new Error(`Unknown call ${call}`);
    } catch (error) {
      const { message, rule } = error as Error & { rule?: string };
      return { error: { message, rule } };
    }
  });
  return { node, dialled };
}

/** Every text the labelled status line showed, in order (a MutationObserver in the page). */
async function recordStatusLines(page: Page, label: string): Promise<() => Promise<string[]>> {
  await page.addInitScript((label) => {
    const seen: string[] = [];
    (globalThis as unknown as { __statusLines: string[] }).__statusLines = seen;
    new MutationObserver(() => {
      const line = document.querySelector(`[aria-label="${label}"]`)?.textContent ?? "";
      if (line && line !== seen.at(-1)) seen.push(line);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }, label);
  return () =>
    page.evaluate(() => (globalThis as unknown as { __statusLines: string[] }).__statusLines);
}

Deno.test({
  name:
    "a tab on a subtensor validator commits its GenTRX read key with its wallet before joining " +
    "(the page's chain set to subtensor, the chain node stood in by an in-memory subnet)",
  ignore: !hasChromium,
  async fn() {
    const s3 = await startS3rver([VALIDATOR_BUCKET, TAB_BUCKET], { browser: true });
    const { endpoint, accessKeyId, secretAccessKey, region } = s3.credentials;
    const server = await startServerProcess(
      [
        ...["--books", "1", "--demo-miners", "0", "--demo-forecasters", "0"],
        ...["--step-ms", "100", "--grace-seconds", "0"],
        // No round opens during the test: only the commitment and the join are looked at.
        ...["--gentrx", "--gentrx-round-steps", "1000000", "--gentrx-demo-trainers", "0"],
      ],
      undefined,
      s3.validatorEnv(VALIDATOR_BUCKET),
    );
    const browser = await launchChromium();
    try {
      // The validator's own session check still needs the hotkey on its (local) metagraph.
      const registered = await fetch(`${server.url}/api/metagraph/register`, {
        method: "POST",
        body: JSON.stringify({ hotkey: trainer.address }),
      });
      const { uid } = await registered.json();

      const { context, page, errors } = await openPage(browser);
      const wallet = await injectTestWallet(page, [trainer]);
      const { node, dialled } = await standInNode(page);
      let chainChunkLoads = 0;
      await page.route(CHAIN_CHUNK, (route) => {
        chainChunkLoads++;
        return route.fulfill({ contentType: "text/javascript", body: CHAIN_MODULE_STAND_IN });
      });
      await page.route(`${server.url}/miner`, onSubtensor);
      const statusLines = await recordStatusLines(page, "Read key on chain");

      await page.goto(`${server.url}/miner`);
      await page.getByRole("heading", { name: "Mine on this validator" }).waitFor();
      await page.getByRole("button", { name: "Connect wallet" }).click();
      await page.getByLabel("Hotkey account").selectOption(trainer.address);
      await page.getByLabel("Join the training pool (GenTRX)").check();
      await page.getByLabel("S3 endpoint").fill(endpoint);
      await page.getByLabel("Bucket", { exact: true }).fill(TAB_BUCKET);
      await page.getByLabel("Region").fill(region);
      await page.getByLabel("Access key ID", { exact: true }).fill(accessKeyId);
      await page.getByLabel("Secret access key", { exact: true }).fill(secretAccessKey);
      await page.getByLabel("Read-only access key ID").fill(accessKeyId);
      await page.getByLabel("Read-only secret access key").fill(secretAccessKey);
      const readKey = `${endpoint}/${TAB_BUCKET} ${accessKeyId} ${secretAccessKey}`;

      // On subtensor the settings ask for a node, with Bittensor's public one by default.
      const nodeField = page.getByLabel("Subtensor node");
      equal(await nodeField.inputValue(), FINNEY_ENTRYPOINT);
      await page.getByText(
        `only your hotkey may publish your bucket's read key (on netuid ${NETUID})`,
      )
        .waitFor();
      const status = page.getByRole("status", { name: "Read key on chain" });
      equal(
        await status.innerText(),
        "Read key on chain: not committed yet; the tab commits it on Go live",
      );
      equal(chainChunkLoads, 0, "the chain module is not loaded before a commit needs it");

      // A node URL that is not one: refused by field, nothing loaded or signed.
      await nodeField.fill("subtensor.stand-in.example");
      await page.getByRole("button", { name: "Go live" }).click();
      const invalid = 'Invalid Subtensor node "subtensor.stand-in.example": ' +
        "must be a ws:// or wss:// URL";
      await status.filter({ hasText: invalid }).waitFor();
      await page.getByRole("alert").filter({ hasText: invalid }).waitFor();
      equal(chainChunkLoads, 0);

      // Commit: read first, the wallet signs set_commitment, then the run only joins.
      await nodeField.fill(NODE_URL);
      await page.getByRole("button", { name: "Go live" }).click();
      await status.filter({ hasText: `Committed on netuid ${NETUID} in block 0x` }).waitFor();
      await page.getByRole("status", { name: "Miner status" })
        .filter({ hasText: `Mining as UID ${uid}, training GenTRX` }).waitFor();
      const receipts = page.getByLabel("GenTRX receipts");
      await receipts.filter({ hasText: "join: recorded" }).waitFor();
      equal(await receipts.getByText(/^commit/).count(), 0, "no commit body over the session");
      equal(await node.connect([]).commitment(trainer.address), readKey);
      deepEqual(dialled, [NODE_URL]);
      deepEqual(wallet.payloads(), [{ address: trainer.address, method: stringToHex(readKey) }]);
      equal(chainChunkLoads, 1);
      const lines = await statusLines();
      const order = [
        `Read key on chain: Connecting to ${NODE_URL}`,
        `Read key on chain: Reading the hotkey's commitment on netuid ${NETUID}`,
        "Read key on chain: Waiting for the wallet to sign Commitments.set_commitment",
        "Read key on chain: Submitted; waiting for a block to include it",
      ].map((line) => lines.indexOf(line));
      ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), lines.join("\n"));

      // Live again with the same bucket: read, equal, nothing for the wallet to sign.
      await page.getByRole("button", { name: "Stop" }).click();
      await page.getByRole("button", { name: "Go live" }).click();
      await status.filter({
        hasText: `Already on chain: netuid ${NETUID} holds this read key, nothing was sent`,
      }).waitFor();
      await page.getByRole("status", { name: "Miner status" })
        .filter({ hasText: `Mining as UID ${uid}, training GenTRX` }).waitFor();
      equal(wallet.payloads().length, 1);
      equal(node.commitCalls, 1);

      // A new read key within the chain's rate limit: the refusal says why; the tab stays offline.
      await page.getByRole("button", { name: "Stop" }).click();
      await page.getByLabel("Read-only access key ID").fill(`${accessKeyId}2`);
      await page.getByRole("button", { name: "Go live" }).click();
      await status.filter({ hasText: "CommitmentSetRateLimitExceeded" }).waitFor();
      match(
        await status.innerText(),
        /^Read key on chain: Cannot commit: Commitments\.CommitmentSetRateLimitExceeded .*: the chain limits how often a hotkey commits .*try again later$/,
      );
      await page.getByRole("alert").filter({ hasText: "try again later" }).waitFor();
      equal(await node.connect([]).commitment(trainer.address), readKey);
      equal(
        await page.getByRole("button", { name: "Go live" }).isEnabled(),
        true,
        "the settings are editable again after a refusal",
      );
      await page.screenshot({ path: "test-results/browser_miner_commitment.png", fullPage: true });
      equal(errors.length, 0, errors.join("; "));
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
      await s3.close();
    }
  },
});
