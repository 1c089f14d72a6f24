/**
 * The operator's key: the secret that opens the validator dashboard
 * (/validator, GET /api/validator) and, unless --public-metrics, GET
 * /metrics (issue 7: "behind the operator's key").
 *
 * Programs send it as `Authorization: Bearer <key>`. A browser brings it
 * once, through the sign-in form (a POST, so the key travels in the body and
 * never in a URL) or the URL printed at startup, and gets an HttpOnly,
 * SameSite=Strict cookie holding a digest of the key (never the key itself);
 * the dashboard's island then refreshes with that cookie. Every comparison
 * is of SHA-256 digests with `timingSafeEqual`, so neither the key's bytes
 * nor its length leak through timing.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isLoopbackHost } from "@/server/internal_host.ts";

/** The cookie that carries a signed-in browser's session. */
export const OPERATOR_COOKIE = "marketforge_operator";

/** How long a browser stays signed in, seconds (30 days). */
const COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** Bytes of randomness in a generated key (256 bits, as Jupyter's token has 192). */
const GENERATED_KEY_BYTES = 32;

/** What an operator key may look like: printable ASCII without spaces (a bearer token). */
export const OPERATOR_KEY_PATTERN = /^[\x21-\x7e]{16,256}$/;

/** Why a request was refused, for the 401's message. */
export type Refusal = "missing" | "wrong";

/**
 * The query flag a failed sign-in redirects to (`/validator?sign-in=wrong`),
 * so the form says the key was wrong without the key staying in any URL.
 */
export const SIGN_IN_FLAG = "sign-in";

/** The sign-in form's field (and the printed URL's parameter) that holds the key. */
export const SIGN_IN_FIELD = "key";

/**
 * Largest sign-in form body read, bytes: `key=` and a 256-character key
 * percent-encoded at three bytes a character come to 772.
 */
const SIGN_IN_BODY_MAX_BYTES = 1024;

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
    // Only this machine can reach a loopback dashboard: it may start with a generated key.
    if (!isLoopbackHost(hostname)) {
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

  /**
   * The dashboard's address with the key, to print once at startup. It is
   * kept, as Jupyter keeps its token URL, because a generated key is shown
   * nowhere else and one click from the terminal is how the operator opens
   * the dashboard. A key in a URL can linger in history and logs, so the
   * server never renders a page under it: `signIn` answers it at once with a
   * 303 to the clean URL, which the address bar and the tab's back/forward
   * entry then show (the browser may still remember the link as opened; the
   * sign-in form, a POST, puts the key in no URL at all).
   */
  signInUrl(baseUrl: string): string {
    return `${baseUrl}/validator?${SIGN_IN_FIELD}=${encodeURIComponent(this.#key)}`;
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

  /**
   * Answers a browser's sign-in at `request` (the form's POST, or the
   * printed URL) with `candidate` as the key: a 303 to the page's clean URL
   * with the session cookie when it is the key, else a 303 to the form
   * flagged `?sign-in=wrong`, whose GET answers 401. Neither URL holds the
   * key, so a redirect, not a page, is what a URL with a key ever gets.
   */
  signIn(request: Request, candidate: string | null): Response {
    const url = new URL(request.url);
    url.searchParams.delete(SIGN_IN_FIELD);
    url.searchParams.delete(SIGN_IN_FLAG);
    const signedIn = candidate !== null && this.matches(candidate);
    if (!signedIn) url.searchParams.set(SIGN_IN_FLAG, "wrong");
    const https = url.protocol === "https:" ||
      request.headers.get("x-forwarded-proto") === "https";
    const headers = new Headers({
      location: url.pathname + url.search,
      "cache-control": "no-store",
    });
    if (signedIn) headers.set("set-cookie", this.sessionCookie(https));
    return new Response(null, { status: 303, headers });
  }
}

/**
 * Whether a state-changing request comes from this validator's own pages,
 * the check against cross-site request forgery beside the SameSite=Strict
 * cookie (OWASP CSRF cheat sheet, "Verifying origin with standard headers"):
 * its `Origin` names this host, or the browser's `Sec-Fetch-Site` says
 * "same-origin" (which still holds behind a proxy that rewrites Host). A
 * cross-site form can set neither; a request with no Origin at all is
 * refused, since every browser sends one with a POST and programs use the
 * bearer header instead.
 */
export function isSameOrigin(request: Request): boolean {
  if (request.headers.get("sec-fetch-site") === "same-origin") return true;
  const origin = request.headers.get("origin");
  return origin !== null && URL.canParse(origin) &&
    new URL(origin).host === new URL(request.url).host;
}

/**
 * The key a sign-in form posted (`application/x-www-form-urlencoded`, field
 * `key`); null when the body is not such a form or is longer than a form
 * with a valid key could be (read no further than that).
 */
export async function postedKey(request: Request): Promise<string | null> {
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" || request.body === null) return null;
  if (Number(request.headers.get("content-length")) > SIGN_IN_BODY_MAX_BYTES) return null;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  for await (const chunk of request.body) {
    bytes += chunk.byteLength;
    if (bytes > SIGN_IN_BODY_MAX_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(await new Blob(chunks).text()).get(SIGN_IN_FIELD);
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
