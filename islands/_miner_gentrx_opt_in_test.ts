import { deepEqual, throws } from "node:assert/strict";
import { gentrxBucket } from "@/islands/_miner_gentrx_opt_in.tsx";
import { GENTRX_OFF, type GenTrxSettings } from "@/islands/_miner_settings.ts";

const SETTINGS: GenTrxSettings = {
  ...GENTRX_OFF,
  enabled: true,
  endpoint: " https://s3.example.com/ ",
  bucket: "dave-gentrx",
  region: "auto",
  accessKeyId: "WRITE",
  secretAccessKey: "WRITE-SECRET",
  readAccessKeyId: "READ",
  readSecretAccessKey: "SECRET",
};

Deno.test("gentrxBucket trims the fields and names an empty one", () => {
  deepEqual(gentrxBucket(SETTINGS), {
    endpoint: "https://s3.example.com",
    bucket: "dave-gentrx",
    region: "auto",
    accessKeyId: "WRITE",
    secretAccessKey: "WRITE-SECRET",
    readAccessKeyId: "READ",
    readSecretAccessKey: "SECRET",
  });
  throws(() => gentrxBucket({ ...SETTINGS, readAccessKeyId: " " }), {
    message: "Cannot join the training pool: Read-only access key ID is empty",
  });
});
