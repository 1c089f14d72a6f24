import { equal, rejects } from "node:assert/strict";
import { forecastCommitment, revealMatches } from "@/engine/forecast/commit_reveal.ts";

Deno.test("a reveal matches only its own commitment and hotkey", async () => {
  const predictions = [42000.5, 42001.25, 42002];
  const commitment = await forecastCommitment("5Miner", predictions);
  equal(/^[0-9a-f]{64}$/.test(commitment), true);
  equal(await revealMatches("5Miner", predictions, commitment), true);
  equal(await revealMatches("5Miner", [42000.5, 42001.25, 42002.01], commitment), false);
  equal(await revealMatches("5Copier", predictions, commitment), false);
  equal(await revealMatches("5Miner", [NaN, 1, 2], commitment), false);
  await rejects(forecastCommitment("5Miner", [Infinity]), /must be a finite number/);
});

Deno.test("the canonical text is hotkey-JSON, hashed with SHA-256 (checked with Python hashlib)", async () => {
  equal(
    await forecastCommitment("5A", [1, 2.5]),
    "130a03f06d1876ddf223f2e9fef82b80d7aca1b6603bfa7a270bdbd9ccf04e6f",
  );
});
