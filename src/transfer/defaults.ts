// Defaults of a transfer, in one place.

/**
 * The most slices in flight, by default (the `concurrency` input; congestion.ts finds the level under it). Each is an update call that takes a consensus round or two (about 1–2 s through a boundary
 * node), so one call at a time moves about 1 MB/s; 16 in flight fill a runner's link without tripping the
 * boundary nodes' rate limits, and hold 16 × 2 MB of slice buffers (plus the agent's encoding copies).
 */
export const DEFAULT_CONCURRENCY = 16

/**
 * The most slices in flight whatever `concurrency` says: each holds its 2 MB about four times over (the HTTP
 * body, the decoded certificate, the reply, the file write), and 32 of them stay within 256 MB.
 */
export const MEMORY_CAP_SLICES = 32

/** How often the default progress log writes a line: every 5 s, and at each further 10 %. */
export const PROGRESS_LOG_SECONDS = 5
export const PROGRESS_LOG_PERCENT = 10

/**
 * The least time between two saves of a progress file. Each save of a download first flushes the memory files
 * to disk; a crash loses at most this much work.
 */
export const PROGRESS_SAVE_INTERVAL_MS = 1_000
