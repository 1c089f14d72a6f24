/**
 * How much the live feed gives each client, and when it gives up on one.
 *
 * @module
 */

export interface FeedLimits {
  /**
   * Frames per second per client, at most (the 10 Hz that exchanges push
   * book views at: shared/reference/perf.md §5). A frame carries the
   * newest message of every channel that changed since the last one.
   * @default 10
   */
  framesPerSecond: number;
  /**
   * Frames a client may receive back to back before the rate applies, so
   * timer jitter around 10 steps/s never delays a frame.
   * @default 2
   */
  frameBurst: number;
  /**
   * Unsent bytes above which a client counts as slow: it gets no new frame
   * until it drains, then only the newest state (conflation).
   * @default 262_144
   */
  slowBufferedBytes: number;
  /**
   * How long a client may stay slow before it is dropped, in ms.
   * @default 10_000
   */
  maxSlowMs: number;
  /**
   * Unsent bytes at which a client is dropped at once.
   * @default 8_388_608
   */
  maxBufferedBytes: number;
  /** Channels one client may follow at once. @default 64 */
  maxChannelsPerClient: number;
  /** Rejected messages before a client is disconnected. @default 20 */
  maxRejectedMessages: number;
}

export const DEFAULT_FEED_LIMITS: FeedLimits = {
  framesPerSecond: 10,
  frameBurst: 2,
  slowBufferedBytes: 256 * 1024,
  maxSlowMs: 10_000,
  maxBufferedBytes: 8 * 1024 * 1024,
  maxChannelsPerClient: 64,
  maxRejectedMessages: 20,
};

/** WebSocket close code for a policy violation (RFC 6455 §7.4.1). */
export const CLOSE_POLICY_VIOLATION = 1008;
/** WebSocket close code for a server going away (RFC 6455 §7.4.1). */
export const CLOSE_GOING_AWAY = 1001;
