import { equal } from "node:assert/strict";
import { signingRegion } from "@/engine/gentrx/store/s3_region.ts";

Deno.test("signingRegion() reads the region from R2, Hippius, AWS and Backblaze hosts, else us-east-1", () => {
  const cases: [string, string][] = [
    ["https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com", "auto"],
    ["https://0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com", "auto"],
    ["https://s3.hippius.com", "decentralized"],
    ["https://s3.eu-west-1.amazonaws.com", "eu-west-1"],
    ["https://s3-ap-southeast-2.amazonaws.com/", "ap-southeast-2"],
    ["https://s3.dualstack.us-west-2.amazonaws.com", "us-west-2"],
    ["https://s3.fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"],
    ["https://s3.cn-north-1.amazonaws.com.cn", "cn-north-1"],
    ["https://S3.EU-CENTRAL-1.AMAZONAWS.COM", "eu-central-1"],
    ["https://s3.amazonaws.com", "us-east-1"],
    ["https://s3-external-1.amazonaws.com", "us-east-1"],
    ["https://s3.us-west-004.backblazeb2.com", "us-west-004"],
    ["http://127.0.0.1:9000", "us-east-1"],
    ["https://minio.example.org:9000", "us-east-1"],
    // A look-alike is not AWS.
    ["https://s3.eu-west-1.amazonaws.com.evil.example", "us-east-1"],
  ];
  for (const [endpoint, region] of cases) equal(signingRegion(endpoint), region, endpoint);
});
