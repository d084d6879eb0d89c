/** Input names exactly as action.yml declares them. */
export enum Inputs {
  Mode = 'mode',
  Identity = 'identity',
  IdentityPassword = 'identity-password',
  Canister = 'canister',
  Network = 'network',
  Environment = 'environment',
  RootKey = 'root-key',
  SnapshotId = 'snapshot-id',
  Replace = 'replace',
  OnLimit = 'on-limit',
  StopTimeout = 'stop-timeout',
  KeepLast = 'keep-last',
  DryRun = 'dry-run',
  Path = 'path',
  ArtifactName = 'artifact-name',
  RetentionDays = 'retention-days',
  CompressionLevel = 'compression-level',
  Concurrency = 'concurrency',
  Cache = 'cache',
  RunId = 'run-id',
  Repository = 'repository',
  GithubToken = 'github-token',
  Restore = 'restore',
  Deploy = 'deploy',
  HealthMethod = 'health-method',
  HealthArgs = 'health-args',
  HealthExpect = 'health-expect',
  HealthCommand = 'health-command',
  ExpectedModuleHash = 'expected-module-hash',
  Wasm = 'wasm',
  HealthRetries = 'health-retries',
  HealthDelay = 'health-delay',
  KeepSnapshot = 'keep-snapshot',
  EncryptWith = 'encrypt-with',
  SourceCanister = 'source-canister',
  AllowForkArtifact = 'allow-fork-artifact',
  SafetySnapshot = 'safety-snapshot',
  UninstallCode = 'uninstall-code',
  DeleteAfterRestore = 'delete-after-restore'
}

export enum Outputs {
  Principal = 'principal',
  SnapshotId = 'snapshot-id',
  SnapshotIds = 'snapshot-ids',
  TakenAt = 'taken-at',
  SizeBytes = 'size-bytes',
  ModuleHash = 'module-hash',
  Snapshots = 'snapshots',
  Deleted = 'deleted',
  ArtifactId = 'artifact-id',
  ArtifactDigest = 'artifact-digest',
  Path = 'path',
  Restored = 'restored',
  ModuleHashBefore = 'module-hash-before',
  ModuleHashAfter = 'module-hash-after',
  RolledBack = 'rolled-back',
  FailedCheck = 'failed-check',
  SafetySnapshotId = 'safety-snapshot-id'
}

export enum State {
  /** Canisters this step stopped and has not started again: the post step starts them. */
  StoppedCanisters = 'stopped-canisters',
  /** guard-upgrade: the canisters to roll back, and their snapshots, if the job fails or is cancelled. */
  GuardedCanisters = 'guarded-canisters',
  /** upload-artifact: the snapshot an upload that nothing can resume has begun: the post step deletes it. */
  UnfinishedUpload = 'unfinished-upload'
}

export const MODES = [
  'create',
  'restore',
  'list',
  'delete',
  'download-artifact',
  'upload-artifact',
  'guard-upgrade'
] as const
export type Mode = (typeof MODES)[number]

export const ON_LIMIT = ['fail', 'replace-oldest'] as const
export type OnLimit = (typeof ON_LIMIT)[number]

/** management canister, MAX_NUMBER_OF_SNAPSHOTS_PER_CANISTER (replica canister_manager). */
export const MAX_SNAPSHOTS_PER_CANISTER = 10
