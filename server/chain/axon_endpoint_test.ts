import { deepEqual, equal, throws } from "node:assert/strict";
import {
  axonToEndpoint,
  endpointToAxon,
  parseIpv4,
  parseIpv6,
} from "@/server/chain/axon_endpoint.ts";

Deno.test("IPv4 endpoints become serve_axon's u128 ip, type 4 and port (chain.md §1.6)", () => {
  deepEqual(endpointToAxon("ws://127.0.0.2:8091/api/miner/ws"), {
    ip: 0x7f000002n,
    ipType: 4,
    port: 8091,
  });
  deepEqual(endpointToAxon("wss://203.0.113.7/api/miner/ws"), {
    ip: 0xcb007107n,
    ipType: 4,
    port: 443,
  });
  equal(parseIpv4("255.255.255.254"), 0xfffffffen);
  equal(parseIpv4("256.0.0.1"), null);
  equal(parseIpv4("1.2.3"), null);
});

Deno.test("IPv6 endpoints round-trip in RFC 5952 form", () => {
  const axon = endpointToAxon("ws://[2001:DB8::1:0:0:1]:9000/api/miner/ws");
  deepEqual(axon, { ip: 0x2001_0db8_0000_0000_0001_0000_0000_0001n, ipType: 6, port: 9000 });
  equal(axonToEndpoint(axon), "ws://[2001:db8::1:0:0:1]:9000/api/miner/ws");
  equal(parseIpv6("::"), 0n);
  equal(parseIpv6("1::2::3"), null);
  equal(parseIpv6("1:2:3:4:5:6:7:8:9"), null);
  equal(
    axonToEndpoint({ ip: 0xfe80_0000_0000_0000_0000_0000_0000_0001n, ipType: 6, port: 1 }),
    "ws://[fe80::1]:1/api/miner/ws",
  );
});

Deno.test("served axons read back as the gateway's WebSocket URL", () => {
  equal(
    axonToEndpoint({ ip: 0x7f000002n, ipType: 4, port: 8000 }),
    "ws://127.0.0.2:8000/api/miner/ws",
  );
});

Deno.test("addresses subtensor refuses are refused before signing, with its error name", () => {
  throws(() => endpointToAxon("ws://127.0.0.1:8000/api/miner/ws"), {
    rule: "InvalidIpAddress",
    message: /subtensor refuses 127\.0\.0\.1 \(serve 127\.0\.0\.2 for a local test\)/,
  });
  throws(() => endpointToAxon("ws://0.0.0.0:8000/"), { rule: "InvalidIpAddress" });
  throws(() => endpointToAxon("ws://[::1]:8000/"), { rule: "InvalidIpAddress" });
  throws(() => endpointToAxon("ws://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:8000/"), {
    rule: "InvalidIpAddress",
  });
  throws(() => endpointToAxon("ws://validator.example:8000/"), {
    rule: "InvalidIpAddress",
    message: /the host must be an IP address/,
  });
  throws(() => endpointToAxon("not a url"), { rule: "InvalidIpAddress" });
});
