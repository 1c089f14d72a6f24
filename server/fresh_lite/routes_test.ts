import { deepEqual } from "node:assert/strict";
import { patternOf, scanRoutes } from "@/server/fresh_lite/routes.ts";

Deno.test("file paths map to Hono patterns", () => {
  deepEqual(patternOf(["index"]), "/");
  deepEqual(patternOf(["books", "[id]"]), "/books/:id");
  deepEqual(patternOf(["api", "books", "[id]", "feed"]), "/api/books/:id/feed");
  deepEqual(patternOf(["api", "books", "index"]), "/api/books");
});

Deno.test("scanRoutes skips _files and tests and puts static segments first", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const file of ["_app.tsx", "index.tsx", "a/[id].tsx", "a/new.tsx", "a/x_test.ts"]) {
      const path = `${dir}/${file}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(path, "");
    }
    deepEqual((await scanRoutes(dir)).map((route) => route.pattern), ["/a/new", "/a/:id", "/"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
