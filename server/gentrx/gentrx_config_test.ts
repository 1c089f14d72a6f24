import { deepEqual, equal, throws } from "node:assert/strict";
import { gentrxSettings } from "@/server/gentrx/gentrx_config.ts";

const noEnv = () => undefined;

Deno.test("GenTRX settings: off by default, a local folder bucket, flags checked, S3 needs all four", () => {
  equal(gentrxSettings({}, noEnv, "/d"), undefined);
  const on = gentrxSettings({ gentrx: true, "gentrx-round-steps": "50" }, noEnv, "/d")!;
  equal(on.roundSteps, 50);
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
