import { deepEqual, equal, throws } from "node:assert/strict";
import { gentrxSettings } from "@/server/gentrx/gentrx_config.ts";

const noEnv = () => undefined;

Deno.test("GenTRX settings: off by default, a local folder bucket, flags checked, S3 needs all four", () => {
  equal(gentrxSettings({}, noEnv, "/d"), undefined);
  const on = gentrxSettings({ gentrx: true, "gentrx-round-steps": "50" }, noEnv, "/d")!;
  equal(on.roundSteps, 50);
  equal(on.roundBlocks, 25); // τaos's round
  deepEqual(on.store, { kind: "folder", path: "/d/objects" });
  throws(
    () => gentrxSettings({ gentrx: true, "gentrx-round-steps": "5" }, noEnv, "/d"),
    /Invalid --gentrx-round-steps "5": must be an integer from 10/,
  );
  const env = (values: Record<string, string>) => (name: string) => values[name];
  throws(
    () => gentrxSettings({ gentrx: true }, env({ GENTRX_VALIDATOR_S3_BUCKET: "b" }), "/d"),
    /Missing GENTRX_VALIDATOR_S3_ENDPOINT, GENTRX_VALIDATOR_S3_ACCESS_KEY_ID/,
  );
  const s3 = gentrxSettings(
    {},
    env({
      MARKETFORGE_GENTRX: "1",
      GENTRX_VALIDATOR_S3_ENDPOINT: "https://x.r2.cloudflarestorage.com",
      GENTRX_VALIDATOR_S3_BUCKET: "pages",
      GENTRX_VALIDATOR_S3_ACCESS_KEY_ID: "a",
      GENTRX_VALIDATOR_S3_SECRET_ACCESS_KEY: "s",
      GENTRX_API_KEY: "k",
    }),
    "/d",
  )!;
  equal(s3.store.kind, "s3");
  equal(s3.apiKey, "k");
});

Deno.test("GenTRX settings: --gentrx-round-blocks (or MARKETFORGE_GENTRX_ROUND_BLOCKS) sets the round on subtensor, from 5 to 7200 blocks", () => {
  const settings = (values: Record<string, string>, env: Record<string, string> = {}) =>
    gentrxSettings({ gentrx: true, ...values }, (name) => env[name], "/d")!;
  equal(settings({ "gentrx-round-blocks": "50" }).roundBlocks, 50);
  equal(settings({}, { MARKETFORGE_GENTRX_ROUND_BLOCKS: "10" }).roundBlocks, 10);
  throws(() => settings({ "gentrx-round-blocks": "4" }), {
    message: 'Invalid --gentrx-round-blocks "4": must be an integer from 5 to 7200',
  });
  throws(() => settings({}, { MARKETFORGE_GENTRX_ROUND_BLOCKS: "2.5" }), {
    message: 'Invalid MARKETFORGE_GENTRX_ROUND_BLOCKS "2.5": must be an integer from 5 to 7200',
  });
});
