import { deepEqual, equal, throws } from "node:assert/strict";
import { formatBucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import { minerBucket, minerChain } from "@/server/miner/main.ts";

Deno.test("minerChain: local by default; --chain with a subtensor URL needs --netuid 1 to 65535", () => {
  deepEqual(minerChain(undefined, undefined), { kind: "local" });
  deepEqual(minerChain("ws://127.0.0.1:9944", "3"), {
    kind: "subtensor",
    url: "ws://127.0.0.1:9944",
    netuid: 3,
  });
  throws(() => minerChain("ws://127.0.0.1:9944", undefined), {
    message: 'Missing --netuid: a subtensor chain (--chain "ws://127.0.0.1:9944") needs one',
  });
  throws(() => minerChain("ws://127.0.0.1:9944", "0"), {
    message: 'Invalid --netuid "0": must be an integer from 1 to 65535',
  });
  throws(() => minerChain("127.0.0.1:9944", "3"), {
    message: 'Invalid --chain "127.0.0.1:9944": must be "local" or a ws:// or wss:// URL',
  });
});

Deno.test("minerBucket: the README's R2 miner commits a read key that fits; one that cannot fit is refused naming --bucket before anything connects", () => {
  const account = "0123456789abcdef0123456789abcdef";
  const env = (values: Record<string, string>) => (name: string) => values[name];
  const r2 = minerBucket(
    `https://${account}.r2.cloudflarestorage.com/dave-gentrx`,
    env({
      GENTRX_AGENT_S3_ACCESS_KEY_ID: "WRITE",
      GENTRX_AGENT_S3_SECRET_ACCESS_KEY: "WRITE-SECRET",
      GENTRX_AGENT_S3_REGION: "auto",
      GENTRX_AGENT_S3_READ_ACCESS_KEY_ID: "ab".repeat(16),
      GENTRX_AGENT_S3_READ_SECRET_ACCESS_KEY: "cd".repeat(32),
    }),
  );
  equal(r2.bucket.kind === "s3" && r2.bucket.accessKeyId, "WRITE");
  equal(formatBucketLocation(r2.readKey).length, 3 + 86 + 1 + "dave-gentrx".length);
  throws(
    () =>
      minerBucket(
        "https://storage.example.com/a-bucket-name-that-is-rather-long",
        env({
          GENTRX_AGENT_S3_ACCESS_KEY_ID: "K".repeat(32),
          GENTRX_AGENT_S3_SECRET_ACCESS_KEY: "S".repeat(64),
        }),
      ),
    {
      message: "Invalid --bucket: the read key takes 159 characters as a chain commitment, over " +
        "its limit of 128; use a shorter endpoint, bucket name or keys",
    },
  );
});
