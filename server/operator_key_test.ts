import { equal, match, notEqual, throws } from "node:assert/strict";
import { isSameOrigin, OPERATOR_COOKIE, OperatorKey, postedKey } from "@/server/operator_key.ts";

const KEY = "a-long-enough-operator-key";

const request = (headers: Record<string, string>) =>
  new Request("http://127.0.0.1/api/validator", { headers });

Deno.test("OperatorKey.resolve() generates a key on loopback and requires one elsewhere", () => {
  const generated = OperatorKey.resolve(undefined, "127.0.0.1");
  equal(generated.generated, true);
  const url = generated.signInUrl("http://127.0.0.1:8000");
  match(url, /^http:\/\/127\.0\.0\.1:8000\/validator\?key=[\w-]{43}$/);
  const key = decodeURIComponent(new URL(url).searchParams.get("key")!);
  equal(generated.matches(key), true);
  // Each start gets its own.
  notEqual(OperatorKey.resolve(undefined, "localhost").signInUrl(""), url.slice(21));

  equal(OperatorKey.resolve(KEY, "0.0.0.0").generated, false);
  throws(() => OperatorKey.resolve(undefined, "0.0.0.0"), {
    name: "RangeError",
    message: /^Missing --operator-key: a validator listening on "0.0.0.0" needs one/,
  });
  throws(() => new OperatorKey("short"), /^RangeError: Invalid operator key/);
});

Deno.test("OperatorKey.check() accepts the bearer key or the session cookie, nothing else", () => {
  const operator = new OperatorKey(KEY);
  equal(operator.check(request({ authorization: `Bearer ${KEY}` })), null);
  equal(operator.check(request({ authorization: `bearer ${KEY}` })), null);
  equal(operator.check(request({})), "missing");
  equal(operator.check(request({ authorization: `Bearer ${KEY}x` })), "wrong");
  equal(operator.check(request({ authorization: `Basic ${btoa(`u:${KEY}`)}` })), "wrong");
  equal(operator.check(request({ authorization: "Bearer" })), "wrong");

  const cookie = operator.sessionCookie(false);
  match(cookie, /; HttpOnly; SameSite=Strict$/);
  match(operator.sessionCookie(true), /; Secure$/);
  const session = cookie.split(";")[0];
  equal(operator.check(request({ cookie: `theme=dark; ${session}` })), null);
  equal(operator.check(request({ cookie: `${OPERATOR_COOKIE}=${KEY}` })), "wrong");
  // Another validator's session does not open this one.
  const other = new OperatorKey(`${KEY}-other`).sessionCookie(false).split(";")[0];
  equal(operator.check(request({ cookie: other })), "wrong");
});

Deno.test("OperatorKey.signIn() trades the key for a session and a clean URL, never echoing it", () => {
  const operator = new OperatorKey(KEY);
  const at = (url: string, headers: Record<string, string> = {}) =>
    new Request(url, { method: "POST", headers });

  const signedIn = operator.signIn(at("http://127.0.0.1/validator?theme=dark"), KEY);
  equal(signedIn.status, 303);
  equal(signedIn.headers.get("location"), "/validator?theme=dark");
  equal(signedIn.headers.get("cache-control"), "no-store");
  equal(signedIn.headers.get("set-cookie"), operator.sessionCookie(false));
  // Behind a TLS proxy the cookie is Secure.
  const proxied = operator.signIn(
    at("http://127.0.0.1/validator", { "x-forwarded-proto": "https" }),
    KEY,
  );
  match(proxied.headers.get("set-cookie")!, /; Secure$/);
  // The printed URL's key and an earlier attempt's flag are dropped.
  const printed = operator.signIn(at(`http://127.0.0.1/validator?key=${KEY}&sign-in=wrong`), KEY);
  equal(printed.headers.get("location"), "/validator");

  for (const candidate of [`${KEY}x`, "", null]) {
    const refused = operator.signIn(at(`http://127.0.0.1/validator?key=${candidate}`), candidate);
    equal(refused.status, 303);
    equal(refused.headers.get("location"), "/validator?sign-in=wrong");
    equal(refused.headers.get("set-cookie"), null);
  }
});

Deno.test("isSameOrigin() takes a POST from this host's pages and refuses a cross-site one", () => {
  const post = (headers: Record<string, string>) =>
    new Request("http://127.0.0.1:8000/validator", { method: "POST", headers });
  equal(isSameOrigin(post({ origin: "http://127.0.0.1:8000" })), true);
  equal(
    isSameOrigin(post({ origin: "http://127.0.0.1:8000", "sec-fetch-site": "same-origin" })),
    true,
  );
  // Behind a proxy that rewrites Host, the browser's Sec-Fetch-Site still vouches for it.
  equal(
    isSameOrigin(post({ origin: "https://dash.example.org", "sec-fetch-site": "same-origin" })),
    true,
  );

  equal(isSameOrigin(post({ origin: "https://evil.example" })), false);
  equal(
    isSameOrigin(post({ origin: "https://evil.example", "sec-fetch-site": "cross-site" })),
    false,
  );
  equal(isSameOrigin(post({ origin: "http://127.0.0.1:9000" })), false, "another port");
  equal(isSameOrigin(post({ origin: "null" })), false, "a sandboxed frame");
  equal(isSameOrigin(post({ "sec-fetch-site": "same-site" })), false);
  equal(isSameOrigin(post({})), false, "no Origin: not a browser's form");
});

Deno.test("postedKey() reads the key from a url-encoded form and nothing else", async () => {
  const form = (body: BodyInit, type = "application/x-www-form-urlencoded") =>
    new Request("http://127.0.0.1/validator", {
      method: "POST",
      headers: { "content-type": type },
      body,
    });
  equal(await postedKey(form(`key=${encodeURIComponent("a+b&c=d%e")}`)), "a+b&c=d%e");
  equal(await postedKey(form("key=x", "application/x-www-form-urlencoded;charset=UTF-8")), "x");
  equal(await postedKey(form("other=1")), null);
  equal(await postedKey(form("key=x", "text/plain")), null);
  equal(await postedKey(form(JSON.stringify({ key: KEY }), "application/json")), null);
  // Longer than any form with a valid key: refused without reading it all.
  equal(await postedKey(form(`key=${"k".repeat(2000)}`)), null);
  const stream = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.enqueue(new Uint8Array(512).fill(0x6b)),
  });
  equal(await postedKey(form(stream)), null, "an endless chunked body");
  const declared = new Request("http://127.0.0.1/validator", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "1000000" },
    body: "key=x",
  });
  equal(await postedKey(declared), null);
});
