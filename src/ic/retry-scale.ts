/**
 * How much tests shorten every wait and backoff (CANISTER_SNAPSHOT_RETRY_SCALE); users never need to.
 * GitHub's runner always sets RUNNER_ENVIRONMENT and RUNNER_NAME, and a workflow cannot override RUNNER_*
 * variables (docs, "Store information in variables"), so on it the real schedule always applies; elsewhere
 * the scale is clamped to [0.01, 1], so that no setting turns a backoff into a busy loop or an hour-long wait.
 */
export function retryScale(): number {
  if (process.env.RUNNER_ENVIRONMENT || process.env.RUNNER_NAME) return 1
  const given = Number(process.env.CANISTER_SNAPSHOT_RETRY_SCALE ?? '1')
  if (!Number.isFinite(given) || given <= 0) return 1
  return Math.min(1, Math.max(0.01, given))
}
