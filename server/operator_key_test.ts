import { equal, match, notEqual, throws } from "node:assert/strict";
import { isLoopback, OPERATOR_COOKIE, OperatorKey } from "@/server/operator_key.ts";

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

Deno.test("isLoopback() knows this machine's addresses", () => {
  for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1"]) equal(isLoopback(host), true);
  for (const host of ["0.0.0.0", "192.168.1.4", "::", "example.com"]) {
    equal(isLoopback(host), false);
  }
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
