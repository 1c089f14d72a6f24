/**
 * The one error type routes throw on purpose; `createWebApp` maps it to its
 * HTTP status in one place. Anything else thrown is a 500.
 *
 * @module
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export class HttpError extends Error {
  readonly status: ContentfulStatusCode;

  constructor(status: ContentfulStatusCode, message: string) {
    super(message);
    this.name = "HttpError";
    this.status = status;
  }
}
