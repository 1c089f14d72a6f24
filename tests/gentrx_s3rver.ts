/**
 * A real S3-protocol server for integration tests: s3rver on 127.0.0.1 with
 * a free port, a temporary folder and the given buckets. s3rver checks SigV4
 * signatures against its fixed credentials (`S3RVER` / `S3RVER`).
 *
 * @module
 */
import S3rver from "s3rver";

export interface RunningS3rver {
  /** Endpoint and credentials to spread into `S3ObjectStoreOptions`. */
  credentials: { endpoint: string; accessKeyId: string; secretAccessKey: string; region: string };
  /** The environment a validator process reads its GenTRX bucket `bucket` here from. */
  validatorEnv(bucket: string): Record<string, string>;
  close(): Promise<void>;
}

/** s3rver's built-in access key and secret. */
const S3RVER_KEY = "S3RVER";

/**
 * A CORS rule letting a page of any origin read and write the buckets, as a
 * browser miner's bucket must (aws4fetch's signed requests are preflighted).
 */
const BROWSER_CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/** `browser`: the buckets answer pages of other origins (CORS), for browser miners. */
export async function startS3rver(
  buckets: string[],
  options: { browser?: boolean } = {},
): Promise<RunningS3rver> {
  const directory = await Deno.makeTempDir({ prefix: "mf_s3rver_" });
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({
      name,
      ...(options.browser && { configs: [BROWSER_CORS] }),
    })),
  });
  const { port } = await server.run();
  const credentials = {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: S3RVER_KEY,
    secretAccessKey: S3RVER_KEY,
    region: "us-east-1",
  };
  return {
    credentials,
    validatorEnv: (bucket) => ({
      GENTRX_VALIDATOR_S3_ENDPOINT: credentials.endpoint,
      GENTRX_VALIDATOR_S3_BUCKET: bucket,
      GENTRX_VALIDATOR_S3_REGION: credentials.region,
      GENTRX_VALIDATOR_S3_ACCESS_KEY_ID: S3RVER_KEY,
      GENTRX_VALIDATOR_S3_SECRET_ACCESS_KEY: S3RVER_KEY,
      // s3rver has one key, so the read-only pair is the same one.
      GENTRX_VALIDATOR_S3_READ_ACCESS_KEY_ID: S3RVER_KEY,
      GENTRX_VALIDATOR_S3_READ_SECRET_ACCESS_KEY: S3RVER_KEY,
    }),
    async close() {
      await server.close();
      await Deno.remove(directory, { recursive: true });
    },
  };
}
