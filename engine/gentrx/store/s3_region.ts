/**
 * The SigV4 region to sign for at an S3 endpoint, read from its host name:
 * a miner's chain commitment has no room for a region (bucket_location.ts),
 * and a provider refuses a signature for the wrong one: AWS answers
 * AuthorizationHeaderMalformed outside us-east-1, Hippius wants
 * "decentralized". R2, MinIO and s3rver take us-east-1 as well as their own.
 *
 * | host | region |
 * |---|---|
 * | `<account>[.<jurisdiction>].r2.cloudflarestorage.com` | `auto` |
 * | `s3.hippius.com` | `decentralized` |
 * | `s3.<region>.amazonaws.com`, `s3-<region>.amazonaws.com`, `s3.dualstack.<region>.amazonaws.com[.cn]` | `<region>` |
 * | `s3.amazonaws.com`, `s3-external-1.amazonaws.com` | `us-east-1` |
 * | `s3.<region>.backblazeb2.com` | `<region>` |
 * | anything else (MinIO, s3rver, a proxy) | `us-east-1` |
 *
 * @module
 */

/** What S3 itself and most S3-compatible servers expect when nothing says otherwise. */
export const DEFAULT_S3_REGION = "us-east-1";

const R2_HOST = /\.r2\.cloudflarestorage\.com$/;
const HIPPIUS_HOST = "s3.hippius.com";
const AWS_HOST =
  /^(?:[^.]+\.)*?s3[.-](?:dualstack\.)?(?:fips\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/;
const BACKBLAZE_HOST = /^s3\.([a-z]+-[a-z]+-\d{3})\.backblazeb2\.com$/;

/** The region requests to `endpoint` (a URL) are signed for. */
export function signingRegion(endpoint: string): string {
  const host = new URL(endpoint).hostname.toLowerCase();
  if (R2_HOST.test(host)) return "auto";
  if (host === HIPPIUS_HOST) return "decentralized";
  return AWS_HOST.exec(host)?.[1] ?? BACKBLAZE_HOST.exec(host)?.[1] ?? DEFAULT_S3_REGION;
}
