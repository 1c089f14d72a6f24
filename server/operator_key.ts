/**
 * The operator's key: the secret that opens the validator dashboard
 * (/validator, GET /api/validator) and, unless --public-metrics, GET
 * /metrics (issue 7: "behind the operator's key").
 *
 * Programs send it as `Authorization: Bearer <key>`. A browser brings it
 * once, as `/validator?key=<key>` (the URL printed at startup, as Jupyter
 * does) or through the sign-in form, and gets an HttpOnly, SameSite=Strict
 * cookie holding a digest of the key (never the key itself); the dashboard's
 * island then refreshes with that cookie. Every comparison is of SHA-256
 * digests with `timingSafeEqual`, so neither the key's bytes nor its length
 * leak through timing.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** The cookie that carries a signed-in browser's session. */
export const OPERATOR_COOKIE = "marketforge_operator";

/** How long a browser stays signed in, seconds (30 days). */
const COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** Bytes of randomness in a generated key (256 bits, as Jupyter's token has 192). */
const GENERATED_KEY_BYTES = 32;

/** What an operator key may look like: printable ASCII without spaces (a bearer token). */
export const OPERATOR_KEY_PATTERN = /^[\x21-\x7e]{16,256}$/;

/** Addresses only this machine can reach; a dashboard there may start with a generated key. */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "::1" || hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Why a request was refused, for the 401's message. */
export type Refusal = "missing" | "wrong";

const digest = (text: string) => createHash("sha256").update(text).digest();

export class OperatorKey {
  readonly #keyDigest: Buffer;
  /** The cookie's value: a digest of the key under a label of its own. */
  readonly #sessionToken: string;
  readonly #sessionDigest: Buffer;
  /** True when the key was generated at startup (and so must be printed once). */
  readonly generated: boolean;
  /** GET /metrics without the key (flag --public-metrics). */
  readonly publicMetrics: boolean;
  readonly #key: string;

  constructor(key: string, options: { generated?: boolean; publicMetrics?: boolean } = {}) {
    if (!OPERATOR_KEY_PATTERN.test(key)) {
      throw new RangeError(
        "Invalid operator key: must be 16 to 256 printable ASCII characters without spaces",
      );
    }
    this.#key = key;
    this.#keyDigest = digest(key);
    this.#sessionToken = createHash("sha256").update(`marketforge operator session\0${key}`)
      .digest("base64url");
    this.#sessionDigest = digest(this.#sessionToken);
    this.generated = options.generated ?? false;
    this.publicMetrics = options.publicMetrics ?? false;
  }

  /**
   * The configured key, or a random one when none is set and the server
   * listens on loopback only. Off loopback a key is required.
   */
  static resolve(
    configured: string | undefined,
    hostname: string,
    publicMetrics = false,
  ): OperatorKey {
    if (configured !== undefined) return new OperatorKey(configured, { publicMetrics });
    if (!isLoopback(hostname)) {
      throw new RangeError(
        `Missing --operator-key: a validator listening on "${hostname}" needs one ` +
          "(flag --operator-key or env MARKETFORGE_OPERATOR_KEY) to protect its dashboard",
      );
    }
    const bytes = crypto.getRandomValues(new Uint8Array(GENERATED_KEY_BYTES));
    const key = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
      .replace(/=+$/, "");
    return new OperatorKey(key, { generated: true, publicMetrics });
  }

  /** The dashboard's address with the key, to print once at startup. */
  signInUrl(baseUrl: string): string {
    return `${baseUrl}/validator?key=${encodeURIComponent(this.#key)}`;
  }

  /** Whether `candidate` is the key, in constant time. */
  matches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.#keyDigest);
  }

  /**
   * Checks a request's `Authorization: Bearer` header, then its session
   * cookie; null when either holds, else why not.
   */
  check(request: Request): Refusal | null {
    const authorization = request.headers.get("authorization");
    if (authorization !== null) {
      const bearer = authorization.match(/^Bearer[ ]+(\S+)\s*$/i)?.[1];
      return bearer !== undefined && this.matches(bearer) ? null : "wrong";
    }
    const session = cookieValue(request.headers.get("cookie"), OPERATOR_COOKIE);
    if (session === undefined) return "missing";
    return timingSafeEqual(digest(session), this.#sessionDigest) ? null : "wrong";
  }

  /** The Set-Cookie header that signs a browser in; Secure when served over https. */
  sessionCookie(secure: boolean): string {
    return `${OPERATOR_COOKIE}=${this.#sessionToken}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; ` +
      `HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
  }
}

/** One cookie's value from a Cookie header. */
function cookieValue(header: string | null, name: string): string | undefined {
  for (const pair of header?.split(";") ?? []) {
    const at = pair.indexOf("=");
    if (at !== -1 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** The 401's message for a program (API, metrics). */
export function refusalMessage(refusal: Refusal): string {
  return refusal === "missing"
    ? "Missing operator key: send it as 'Authorization: Bearer <key>' (--operator-key, or the key in the URL the validator printed at startup)"
    : "Wrong operator key: the bearer token or session is not this validator's operator key";
}
