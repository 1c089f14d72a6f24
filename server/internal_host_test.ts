import { equal } from "node:assert/strict";
import { isLoopbackHost } from "@/server/internal_host.ts";

Deno.test("isLoopbackHost() knows this machine's addresses", () => {
  for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"]) {
    equal(isLoopbackHost(host), true);
  }
  for (const host of ["0.0.0.0", "192.168.1.4", "::", "example.com"]) {
    equal(isLoopbackHost(host), false);
  }
});
