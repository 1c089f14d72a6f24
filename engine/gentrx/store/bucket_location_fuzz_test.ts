/**
 * Seeded fuzzing of bucket_location.ts: commitments come from any
 * registered hotkey, so parsing must refuse every malformed string with a
 * FieldError (never a TypeError, a DOMException or a hang), and what it
 * accepts must be canonical — its formatted string parses back to the same
 * location, and a folder or R2 key has one spelling — while every valid
 * location survives format → parse unchanged.
 */
import { deepEqual, equal, fail } from "node:assert/strict";
import {
  type BucketLocation,
  formatBucketLocation,
  MAX_COMMITMENT_CHARS,
  MAX_LOCATION_CHARS,
  MAX_R2_BUCKET_CHARS,
  parseBucketLocation,
  R2_JURISDICTIONS,
} from "@/engine/gentrx/store/bucket_location.ts";
import { FieldError } from "@/engine/protocol/fields.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const SEED = 9;
const CASES = 4_000;
const HEX = "0123456789abcdef";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const BUCKET_CHARS = `${LOWER}0123456789.-`;
const BASE64URL = `${LOWER}${LOWER.toUpperCase()}0123456789-_`;
const PRINTABLE = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i))
  .join("");
/** Characters and pieces that steer random strings near every form. */
const PIECES = [
  ..."aZ09 /:.-_+=?#@%\u0000\n\u007f\u00e9\u{1F600}\ud800",
  "file:",
  "r2:",
  "http://",
  "https://",
  ".r2.cloudflarestorage.com",
  "..",
  "//",
  HEX,
];

type S3Location = Extract<BucketLocation, { kind: "s3" }>;

function pick(random: SeededRandom, alphabet: string | readonly string[]): string {
  return alphabet[random.integer(0, alphabet.length)];
}

function text(random: SeededRandom, alphabet: string, from: number, to: number): string {
  return Array.from({ length: random.integer(from, to + 1) }, () => pick(random, alphabet)).join(
    "",
  );
}

function bucketName(random: SeededRandom, maxChars = 63): string {
  const edge = `${LOWER}0123456789`;
  return `${pick(random, edge)}${text(random, BUCKET_CHARS, 1, maxChars - 2)}${pick(random, edge)}`;
}

/** A location in the canonical spelling parse gives back. */
function randomLocation(random: SeededRandom): BucketLocation {
  const kind = random.integer(0, 4);
  if (kind === 0) {
    const segments = Array.from(
      { length: random.integer(1, 4) },
      () => text(random, `${LOWER} _-.é`, 1, 12).replace(/^\.\.$/, "up"),
    );
    return { kind: "folder", path: `/${segments.join("/")}` };
  }
  if (kind === 1 || kind === 2) {
    const account = text(random, HEX, 32, 32);
    // A name of the account id's 32 characters fits every form but FedRAMP's (30).
    const zones = ["", "", ...R2_JURISDICTIONS.filter((name) => kind === 2 || name === "eu")];
    const zone = pick(random, zones.map((name) => name && `.${name}`));
    return {
      kind: "s3",
      endpoint: `https://${account}${zone}.r2.cloudflarestorage.com`,
      // The fedramp form leaves the fewest characters for a name.
      bucket: kind === 1 ? account : bucketName(random, MAX_R2_BUCKET_CHARS - "-fedramp".length),
      accessKeyId: text(random, HEX, 32, 32),
      secretAccessKey: text(random, HEX, 64, 64),
    };
  }
  const host = `${text(random, LOWER, 1, 10)}.${text(random, LOWER, 2, 6)}`;
  const port = random.uniform() < 0.5 ? "" : `:${random.integer(1024, 65_536)}`;
  const prefix = random.uniform() < 0.5 ? "" : `/${text(random, `${LOWER}0123456789-`, 1, 10)}`;
  return {
    kind: "s3",
    endpoint: `${random.uniform() < 0.5 ? "http" : "https"}://${host}${port}${prefix}`,
    bucket: bucketName(random),
    accessKeyId: text(random, PRINTABLE, 1, 40),
    secretAccessKey: text(random, PRINTABLE, 1, 64),
  };
}

/** A valid string with a few random edits, random pieces, or an `r2:` form of random characters. */
function randomText(random: SeededRandom): string {
  const kind = random.uniform();
  if (kind < 0.25) {
    return Array.from({ length: random.integer(0, 40) }, () => pick(random, PIECES)).join("");
  }
  if (kind < 0.35) {
    // Most random 86th characters leave bits of a 65th byte: not canonical base64url.
    const prefix = pick(random, ["r2:", "r2-eu:", "r2-fedramp:", "r2-x:"]);
    return `${prefix}${text(random, BASE64URL, 84, 88)}/${bucketName(random, MAX_R2_BUCKET_CHARS)}`;
  }
  let chars = [...formatBucketLocation(randomLocation(random))];
  for (let edits = random.integer(1, 4); edits > 0; edits--) {
    const at = random.integer(0, chars.length + 1);
    const edit = random.integer(0, 4);
    if (edit === 0) chars.splice(at, 1);
    else if (edit === 1) chars.splice(at, 0, pick(random, PIECES));
    else if (edit === 2) chars[at] = pick(random, PIECES);
    else chars = chars.slice(0, at);
  }
  return chars.join("");
}

Deno.test("bucket locations (seeded fuzz): random strings are refused only with a FieldError; what parses is canonical", () => {
  const random = new SeededRandom(SEED);
  let accepted = 0;
  for (let i = 0; i < CASES; i++) {
    const input = randomText(random);
    for (const maxChars of [MAX_COMMITMENT_CHARS, MAX_LOCATION_CHARS]) {
      for (const allowFolder of [true, false]) {
        let location: BucketLocation;
        try {
          location = parseBucketLocation(input, "commitment", { maxChars, allowFolder });
        } catch (error) {
          if (!(error instanceof FieldError)) {
            fail(`${JSON.stringify(input)} threw ${(error as Error).name}: ${error}`);
          }
          continue;
        }
        accepted++;
        const again = formatBucketLocation(location);
        // Folders and R2 keys have one spelling each (an r2: key whose bucket is named
        // after the account is spelled in τaos's packed form); a URL may have several.
        if (location.kind === "folder" || !input.includes(" ")) {
          equal(
            again === input || (input.startsWith("r2:") && again.length === MAX_COMMITMENT_CHARS),
            true,
            `${JSON.stringify(input)} → ${JSON.stringify(again)}`,
          );
        }
        deepEqual(
          parseBucketLocation(again, "commitment", { maxChars: MAX_LOCATION_CHARS, allowFolder }),
          location,
          `${JSON.stringify(input)} → ${JSON.stringify(again)}`,
        );
      }
    }
  }
  // Edits of valid strings keep many of them valid, so both branches ran.
  equal(accepted > CASES / 4, true, `${accepted} accepted`);
});

Deno.test("bucket locations (seeded fuzz): format → parse is the identity; every R2 read key fits the commitment", () => {
  const random = new SeededRandom(SEED + 1);
  for (let i = 0; i < CASES; i++) {
    const location = randomLocation(random);
    const formatted = formatBucketLocation(location);
    const limits = { maxChars: MAX_LOCATION_CHARS, allowFolder: true };
    deepEqual(parseBucketLocation(formatted, "c", limits), location, formatted);
    if ((location as S3Location).endpoint?.endsWith(".r2.cloudflarestorage.com")) {
      equal(formatted.length <= MAX_COMMITMENT_CHARS, true, formatted);
      deepEqual(
        parseBucketLocation(formatted, "c", { maxChars: MAX_COMMITMENT_CHARS, allowFolder: false }),
        location,
      );
    }
  }
});
