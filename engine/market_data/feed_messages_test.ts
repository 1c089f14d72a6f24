import { deepEqual, equal, throws } from "node:assert/strict";
import {
  channelName,
  FeedMessageError,
  MAX_CHANNELS_PER_MESSAGE,
  parseChannel,
  parseClientMessage,
} from "@/engine/market_data/feed_messages.ts";

Deno.test("parseChannel() reads every channel kind and channelName() writes it back", () => {
  for (
    const name of [
      "overview",
      "book:0:ticker",
      "book:12:ladder",
      "book:3:trades",
      "book:3:candles:1m",
    ]
  ) {
    equal(channelName(parseChannel(name)), name);
  }
  deepEqual(parseChannel("book:3:candles:10s"), { kind: "candles", bookId: 3, interval: "10s" });
});

Deno.test("parseChannel() names the field and what was expected", () => {
  const cases: [unknown, RegExp][] = [
    [42, /Invalid channels\[1\]: expected a channel name string/],
    ["book:x:ladder", /Invalid channels\[1\] "book:x:ladder": expected "overview" or/],
    ["book:1:candles:2h", /the interval must be one of 1s, 10s, 1m, 5m/],
    ["book:1:candles", /the interval must be one of/],
    ["book:1:ladder:1m", /only candles take an interval/],
  ];
  for (const [name, message] of cases) {
    throws(() => parseChannel(name, "channels[1]"), (error: unknown) => {
      equal(error instanceof FeedMessageError, true);
      equal((error as FeedMessageError).field, "channels[1]");
      return message.test((error as Error).message);
    });
  }
});

Deno.test("parseClientMessage() accepts subscribe and unsubscribe", () => {
  const message = parseClientMessage(
    JSON.stringify({ v: 1, type: "subscribe", channels: ["overview", "book:1:trades"] }),
  );
  deepEqual(message, {
    type: "subscribe",
    channels: [{ kind: "overview" }, { kind: "trades", bookId: 1 }],
  });
  equal(
    parseClientMessage('{"v":1,"type":"unsubscribe","channels":["overview"]}').type,
    "unsubscribe",
  );
});

Deno.test("parseClientMessage() errors name the field at fault", () => {
  const cases: [string, string, RegExp][] = [
    ["{", "message", /not JSON/],
    ["[]", "message", /expected a JSON object/],
    [
      '{"type":"subscribe","channels":["overview"]}',
      "v",
      /Invalid v undefined: this server speaks feed protocol 1/,
    ],
    ['{"v":2,"type":"subscribe","channels":["overview"]}', "v", /Invalid v 2/],
    [
      '{"v":1,"type":"sub","channels":["overview"]}',
      "type",
      /Invalid type "sub": expected "subscribe" or "unsubscribe"/,
    ],
    ['{"v":1,"type":"subscribe"}', "channels", /expected a non-empty array/],
    [
      '{"v":1,"type":"subscribe","channels":["overview","nope"]}',
      "channels[1]",
      /Invalid channels\[1\] "nope"/,
    ],
    [
      JSON.stringify({
        v: 1,
        type: "subscribe",
        channels: Array(MAX_CHANNELS_PER_MESSAGE + 1).fill("overview"),
      }),
      "channels",
      /33 is over the limit of 32/,
    ],
    ["x".repeat(5000), "message", /5000 bytes is over the limit of 4096/],
  ];
  for (const [text, field, message] of cases) {
    throws(() => parseClientMessage(text), (error: unknown) => {
      equal((error as FeedMessageError).field, field, text.slice(0, 40));
      return message.test((error as Error).message);
    });
  }
});
