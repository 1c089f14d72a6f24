/**
 * End to end: a browser tab joins the GenTRX training pool. A real
 * validator process runs `--gentrx` with its pages in a bucket on a real
 * S3-protocol server (s3rver on 127.0.0.1, CORS open to the page); the tab
 * connects the injected test wallet, registers, opts into the training pool
 * with its own bucket on the same server, and goes live: it commits the
 * bucket's read key, joins, trains the round's assignment in the training
 * worker (on the CPU: headless Chromium here has no GPU adapter), uploads
 * the compressed delta with aws4fetch and answers "uploaded"; the validator
 * reads it from the committed bucket and scores it, which the panel shows
 * and GET /gentrx/scores confirms to the places the panel shows.
 */
import { equal, ok } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import type { Page } from "playwright-core";
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";
import { injectTestWallet } from "@/tests/browser_wallet.ts";
import { startS3rver } from "@/tests/gentrx_s3rver.ts";
import type { ScoresReply } from "@/server/gentrx/gradient_server.ts";

/** A round opens every 100 steps of 100 ms; the first needs its pages written first. */
const ROUND_TIMEOUT_MS = 60_000;
const VALIDATOR_BUCKET = "validator-pages";
const TAB_BUCKET = "tab-miner";

await cryptoWaitReady();
const keyring = new Keyring({ type: "sr25519" });
const trainer = keyring.addFromUri("//BrowserTrainer", { name: "Browser trainer" });

/** The text a labelled figure shows (islands/_miner_figures.tsx Figure). */
function figureText(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).innerText();
}

/** The panel's training score and the round it is for, as shown. */
interface ShownScore {
  round: number;
  score: string;
}

/** Waits until the panel shows the validator's score for `round` or a later one. */
async function waitForScoredRound(page: Page, round: number): Promise<void> {
  await page.waitForFunction(
    (round) => {
      const term = [...document.querySelectorAll("dt")]
        .find((dt) => dt.textContent === "Scored round");
      return Number(term?.nextElementSibling?.textContent) >= round;
    },
    round,
    { timeout: ROUND_TIMEOUT_MS },
  );
}

/** Reads both figures in one go, so a refresh cannot fall between them. */
function shownScore(page: Page): Promise<ShownScore> {
  return page.evaluate(() => {
    const figure = (label: string) =>
      [...document.querySelectorAll("dt")].find((dt) => dt.textContent === label)
        ?.nextElementSibling?.textContent ?? "";
    return { round: Number(figure("Scored round")), score: figure("Training score") };
  });
}

Deno.test({
  name:
    "a browser tab joins the GenTRX pool: trains a round on the CPU, uploads to its bucket and is scored",
  ignore: !hasChromium,
  async fn() {
    const s3 = await startS3rver([VALIDATOR_BUCKET, TAB_BUCKET], { browser: true });
    const { endpoint, accessKeyId, secretAccessKey, region } = s3.credentials;
    const server = await startServerProcess(
      [
        ...["--books", "2", "--demo-miners", "0", "--demo-forecasters", "0"],
        ...["--step-ms", "100", "--grace-seconds", "0"],
        ...["--gentrx", "--gentrx-round-steps", "100", "--gentrx-demo-trainers", "0"],
        ...["--gentrx-rows-per-page", "100"],
      ],
      undefined,
      s3.validatorEnv(VALIDATOR_BUCKET),
    );
    const browser = await launchChromium();
    try {
      const { context, page, errors } = await openPage(browser);
      await injectTestWallet(page, [trainer]);
      await page.goto(`${server.url}/miner`);
      await page.getByRole("heading", { name: "Mine on this validator" }).waitFor();
      await page.getByRole("button", { name: "Connect wallet" }).click();
      await page.getByLabel("Hotkey account").selectOption(trainer.address);
      await page.getByRole("button", { name: "Register on the local network" }).click();
      const registered = page.getByRole("status").filter({ hasText: /Registered as UID \d+/ });
      await registered.waitFor();
      const uid = Number((await registered.innerText()).match(/UID (\d+)/)![1]);

      // Opt in with the tab's own bucket; the page says where the secret stays.
      await page.getByLabel("Join the training pool (GenTRX)").check();
      await page.getByText("stay in this browser").waitFor();
      await page.getByLabel("S3 endpoint").fill(endpoint);
      await page.getByLabel("Bucket", { exact: true }).fill(TAB_BUCKET);
      await page.getByLabel("Region").fill(region);
      await page.getByLabel("Access key ID", { exact: true }).fill(accessKeyId);
      await page.getByLabel("Secret access key", { exact: true }).fill(secretAccessKey);
      await page.getByLabel("Read-only access key ID").fill(accessKeyId);
      await page.getByLabel("Read-only secret access key").fill(secretAccessKey);
      await page.getByRole("button", { name: "Go live" }).click();
      await page.getByRole("status", { name: "Miner status" })
        .filter({ hasText: `Mining as UID ${uid}, training GenTRX` }).waitFor();
      const panel = page.getByRole("region", { name: "Training pool (GenTRX)" });
      await panel.waitFor();
      await page.getByLabel("GenTRX receipts").filter({ hasText: "join: recorded" }).waitFor();

      // A round: trained in the training worker, uploaded, and scored by the validator.
      await page.waitForFunction(
        () => {
          const term = [...document.querySelectorAll("dt")]
            .find((dt) => dt.textContent === "Deltas uploaded");
          return Number(term?.nextElementSibling?.textContent ?? 0) >= 1;
        },
        undefined,
        { timeout: ROUND_TIMEOUT_MS },
      );
      ok(page.workers().some((worker) => worker.url().endsWith("/workers/agent_worker.js")));
      equal(await figureText(page, "Training backend"), "CPU");
      const round = Number(await figureText(page, "Training round"));
      const curve = page.getByRole("img", { name: "GenTRX loss per step" });
      ok(
        ((await curve.locator("polyline").getAttribute("points")) ?? "").split(" ").length >= 2,
        "the live loss curve has the round's steps",
      );
      await page.getByLabel("GenTRX receipts")
        .filter({ hasText: `uploaded round ${round}: recorded` }).waitFor();
      await waitForScoredRound(page, round);
      // The panel shows the validator's score for the round it names, to its displayed places.
      // It polls every 3 s, so wait until it names the round GET /gentrx/scores answers with.
      let reply: ScoresReply;
      let shown: ShownScore;
      let attempts = 0;
      do {
        reply = await (await fetch(`${server.url}/gentrx/scores`)).json() as ScoresReply;
        await waitForScoredRound(page, reply.round);
        shown = await shownScore(page);
      } while (shown.round !== reply.round && ++attempts < 3);
      equal(shown.round, reply.round, "the panel and GET /gentrx/scores name one round");
      const mine = reply.scores[uid];
      ok(mine, `the scored round ${reply.round} holds uid ${uid}: ${JSON.stringify(reply)}`);
      ok(mine.accepted && mine.score > 0, JSON.stringify(mine));
      const places = shown.score.split(".")[1]?.length ?? 0;
      ok(places >= 2, `the score "${shown.score}" shows at least two decimal places`);
      const shownScoreValue = Number(shown.score.replaceAll(",", ""));
      ok(
        Math.abs(shownScoreValue - mine.score) <= 0.5 * 10 ** -places + Number.EPSILON,
        `the panel shows ${shown.score}; GET /gentrx/scores says ${mine.score}`,
      );
      await page.screenshot({ path: "test-results/browser_miner_gentrx.png", fullPage: true });

      await page.getByRole("button", { name: "Stop" }).click();
      equal(errors.length, 0, errors.join("; "));
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
      await s3.close();
    }
  },
});
